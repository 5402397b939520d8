<#
.SYNOPSIS
  Registers (or with -Uninstall removes) the "Cloud Extender" Windows service with Apache Commons Daemon's
  procrun (prunsrv.exe), in jvm mode.

.DESCRIPTION
  Run from an elevated PowerShell in the installation folder:
      install\windows\install-service.ps1 -Prunsrv C:\tools\commons-daemon\amd64\prunsrv.exe
      install\windows\install-service.ps1 -Uninstall
  prunsrv.exe is not in this archive: download commons-daemon-1.4.0-bin-windows.zip from
  https://downloads.apache.org/commons/daemon/binaries/windows/ and use amd64\prunsrv.exe (or copy it to
  install\windows\prunsrv.exe, the default).

  The service starts automatically, runs com.cloudextender.service.ExtenderDaemon's start method with
  conf\extender.properties, and its stop method drains running commands and delivers their results (up to
  30 s; procrun waits 45 s). Windows restarts it after a failure (sc.exe failure). The JVM options come from
  conf\jvm.options; logs go to logs\.

  Folder ACL: inheritance is broken on the installation folder, which then grants only SYSTEM and
  Administrators (full control, owners) and the service account (read and execute; Modify on data\, logs\ and
  conf\). No other local user can read the key material in data\ or change lib\ or verified modules.

  Service account: by default the virtual account "NT SERVICE\CloudExtender". It has no password to manage,
  exists only for this service, and gets Modify rights on data\, logs\ and conf\ only; on the network it acts
  as the computer account, which is all an outbound-only connector needs. LocalService is shared with other
  services (files it may write, they may too); LocalSystem has far more rights than needed. Pass -Account
  (and -Password for a domain account or a gMSA ending in $) to choose another.

.NOTES
  Not tested automatically: the project's tests run on Linux (docs/OPERATIONS.md).
#>
[CmdletBinding()]
param(
    [string]$Prunsrv = (Join-Path $PSScriptRoot 'prunsrv.exe'),
    [string]$ServiceName = 'CloudExtender',
    [string]$Account = 'NT SERVICE\CloudExtender',
    [string]$Password = '',
    [string]$JavaHome = $env:JAVA_HOME,
    [switch]$Uninstall
)
$ErrorActionPreference = 'Stop'

$installDir = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
if (-not (Test-Path (Join-Path $installDir 'lib'))) {
    throw "No lib\ folder in ${installDir}: run this script from install\windows of an unpacked Cloud Extender archive."
}
if (-not (Test-Path $Prunsrv)) {
    throw ("prunsrv.exe not found at $Prunsrv. Download commons-daemon-1.4.0-bin-windows.zip from " +
        "https://downloads.apache.org/commons/daemon/binaries/windows/ and pass -Prunsrv <path to amd64\prunsrv.exe>.")
}
$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    throw 'Registering a service needs an elevated PowerShell (Run as administrator).'
}

function Invoke-Prunsrv([string[]]$Arguments) {
    & $Prunsrv @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "prunsrv.exe $($Arguments[0]) failed with exit code $LASTEXITCODE; see $installDir\logs\commons-daemon.*.log"
    }
}

if ($Uninstall) {
    if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
        Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
        Invoke-Prunsrv @("//DS//$ServiceName")
        Write-Host "Service $ServiceName removed. The installation folder $installDir is left as it is."
    } else {
        Write-Host "No service named $ServiceName."
    }
    return
}

# The JVM: the given Java home's server VM, else procrun finds one in the registry.
$jvm = 'auto'
if ($JavaHome) {
    $jvm = Join-Path $JavaHome 'bin\server\jvm.dll'
    if (-not (Test-Path $jvm)) { throw "No JVM at ${jvm}: set -JavaHome to a Java 17 (or later) installation." }
}

# procrun starts the JVM through JNI, which does not expand lib\*: list the jars.
$classpath = (Get-ChildItem -Path (Join-Path $installDir 'lib') -Filter '*.jar' | Sort-Object Name |
    ForEach-Object { $_.FullName }) -join ';'

$arguments = @(
    "//IS//$ServiceName",
    '--DisplayName=Cloud Extender',
    '--Description=On-premises connector of the device-management cloud (outbound TLS to the cloud).',
    '--Startup=auto',
    "--Jvm=$jvm",
    '--StartMode=jvm', '--StopMode=jvm',
    '--StartClass=com.cloudextender.service.ExtenderDaemon', '--StartMethod=start',
    "--StartParams=$installDir\conf\extender.properties",
    '--StopClass=com.cloudextender.service.ExtenderDaemon', '--StopMethod=stop',
    '--StopTimeout=45',
    "--StartPath=$installDir",
    "--Classpath=$classpath",
    "--LogPath=$installDir\logs", '--LogPrefix=commons-daemon',
    '--StdOutput=auto', '--StdError=auto'
)
# One ++JvmOptions per line of conf\jvm.options, so that an option may contain ';' or '#'.
foreach ($line in Get-Content (Join-Path $installDir 'conf\jvm.options')) {
    $option = $line.Trim()
    if ($option -and -not $option.StartsWith('#')) { $arguments += "++JvmOptions=$option" }
}
$arguments += "++JvmOptions=-Dextender.home=$installDir"
$arguments += "++JvmOptions=-Dextender.logDir=$installDir\logs"
$arguments += "++JvmOptions=-Dlogback.configurationFile=$installDir\conf\logback.xml"

Invoke-Prunsrv $arguments

# The account. A virtual account (NT SERVICE\...) has no password; sc.exe sets it reliably.
if ($Password) {
    & sc.exe config $ServiceName obj= $Account password= $Password | Out-Null
} else {
    & sc.exe config $ServiceName obj= $Account | Out-Null
}
if ($LASTEXITCODE -ne 0) { throw "sc.exe config obj= $Account failed with exit code $LASTEXITCODE" }

# Restart after a failure: after 10 s, 30 s, then every 60 s; the failure count resets after a day.
& sc.exe failure $ServiceName reset= 86400 actions= restart/10000/restart/30000/restart/60000 | Out-Null
if ($LASTEXITCODE -ne 0) { throw "sc.exe failure failed with exit code $LASTEXITCODE" }
# Also when the service stops with an error exit code, not only when the process crashes.
& sc.exe failureflag $ServiceName 1 | Out-Null

# The installation folder gets its own ACL, not the parent's: under Program Files Users may read, and
# under C:\ Authenticated Users may modify, which would let any local user read the key material in data\
# or swap verified module jars. Only SYSTEM, Administrators and the service account get in; Administrators
# own everything, so that the user who unpacked the archive cannot give access back.
foreach ($dir in 'data', 'logs', 'conf') {
    New-Item -ItemType Directory -Force -Path (Join-Path $installDir $dir) | Out-Null
}
$inherit = [System.Security.AccessControl.InheritanceFlags]'ContainerInherit, ObjectInherit'
$none = [System.Security.AccessControl.PropagationFlags]::None
$allow = [System.Security.AccessControl.AccessControlType]::Allow
$system = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-18')
$admins = New-Object System.Security.Principal.SecurityIdentifier('S-1-5-32-544')
$service = (New-Object System.Security.Principal.NTAccount($Account)).Translate(
    [System.Security.Principal.SecurityIdentifier])
$acl = New-Object System.Security.AccessControl.DirectorySecurity
$acl.SetAccessRuleProtection($true, $false)   # inheritance broken, nothing inherited kept
$acl.SetOwner($admins)
$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($system, 'FullControl', $inherit, $none, $allow)))
$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($admins, 'FullControl', $inherit, $none, $allow)))
$acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($service, 'ReadAndExecute', $inherit, $none, $allow)))
Set-Acl -LiteralPath $installDir -AclObject $acl
# Everything below takes the folder's ACL only (explicit entries from unpacking are dropped), owned by Administrators.
& icacls.exe (Join-Path $installDir '*') /reset /T /C /Q | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls.exe could not reset the ACLs under $installDir" }
& icacls.exe $installDir /setowner '*S-1-5-32-544' /T /C /Q | Out-Null
if ($LASTEXITCODE -ne 0) { throw "icacls.exe could not give the files under $installDir to Administrators" }
# The account may write only where the extender writes.
foreach ($dir in 'data', 'logs', 'conf') {
    $path = Join-Path $installDir $dir
    & icacls.exe $path /grant "*$($service.Value):(OI)(CI)M" /T /C /Q | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls.exe could not grant $Account Modify on $path" }
}
# The access that results, for the administrator's record.
& icacls.exe $installDir

Write-Host ("Service $ServiceName registered (account $Account). Put the activation code in " +
    "$installDir\conf\extender.properties, then: Start-Service $ServiceName")
