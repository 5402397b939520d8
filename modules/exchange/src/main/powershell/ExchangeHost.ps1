# ExchangeHost.ps1: the persistent PowerShell host of the Cloud Extender exchange module (protocol 1).
#
# Started once by the module and kept running. Reads one JSON object per line on standard input and
# writes one per line on standard output (docs: modules/exchange/README.md, "PowerShell host").
# It never builds script text from what it reads: a request names a cmdlet, which must be in the
# fixed allow list below, and carries typed values, which are put into a hashtable and splatted.
# No Invoke-Expression, no [scriptblock]::Create, no string expansion of request values.
#Requires -Version 5.1
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# The cmdlets the module may run; Exchange 2010 has the *-ActiveSyncDevice* names.
$Allowed = @(
    'Get-MobileDevice', 'Get-ActiveSyncDevice', 'Get-MobileDeviceStatistics', 'Get-ActiveSyncDeviceStatistics',
    'Clear-MobileDevice', 'Clear-ActiveSyncDevice', 'Remove-MobileDevice', 'Remove-ActiveSyncDevice',
    'Get-MobileDeviceMailboxPolicy', 'Get-ActiveSyncMailboxPolicy', 'Get-CASMailbox', 'Set-CASMailbox',
    'Get-ActiveSyncOrganizationSettings', 'Set-ActiveSyncOrganizationSettings', 'Get-ActiveSyncDeviceAccessRule',
    'New-ActiveSyncDeviceAccessRule', 'Remove-ActiveSyncDeviceAccessRule', 'Get-OrganizationConfig',
    'Get-ExchangeServer', 'Get-ThrottlingPolicy', 'Get-ManagementRoleAssignment')
# Common parameters a request may not set: they would change how errors and output are handled here.
$Reserved = @('ErrorAction', 'ErrorVariable', 'WarningAction', 'WarningVariable', 'InformationAction',
    'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'Verbose', 'Debug')

$utf8 = New-Object System.Text.UTF8Encoding $false
$stdin = New-Object System.IO.StreamReader ([Console]::OpenStandardInput(), $utf8)
$stdout = New-Object System.IO.StreamWriter ([Console]::OpenStandardOutput(), $utf8)
$stdout.AutoFlush = $true

function Send-Line($object) {
    # -Compress writes one line: a newline inside a value is escaped as \n by the JSON writer.
    $stdout.WriteLine((ConvertTo-Json -InputObject $object -Compress -Depth 6))
}

function ConvertTo-ParameterValue($p) {
    switch ([string]$p.type) {
        'string' { if ($p.value -isnot [string]) { throw 'a string parameter holds no string' }; return [string]$p.value }
        'bool' { if ($p.value -isnot [bool]) { throw 'a bool parameter holds no boolean' }; return [bool]$p.value }
        'int' { if ($p.value -isnot [int] -and $p.value -isnot [long]) { throw 'an int parameter holds no number' }; return [int]$p.value }
        'strings' { return [string[]]@($p.value) }
        'unlimited' { return 'Unlimited' }
        'addRemove' {
            $h = @{}
            if ($p.value.PSObject.Properties['add'] -and @($p.value.add).Count -gt 0) { $h['Add'] = [string[]]@($p.value.add) }
            if ($p.value.PSObject.Properties['remove'] -and @($p.value.remove).Count -gt 0) { $h['Remove'] = [string[]]@($p.value.remove) }
            return $h
        }
        default { throw 'unknown parameter type' }
    }
}

function ConvertTo-Plain($o) {
    # Property values as JSON-friendly values: texts, numbers, booleans, UTC times, lists of texts.
    $h = [ordered]@{}
    foreach ($p in $o.PSObject.Properties) {
        $v = $p.Value
        if ($null -eq $v) { $h[$p.Name] = $null }
        elseif ($v -is [bool] -or $v -is [int] -or $v -is [long]) { $h[$p.Name] = $v }
        elseif ($v -is [datetime]) { $h[$p.Name] = $v.ToUniversalTime().ToString('o') }
        elseif ($v -is [System.Collections.IEnumerable] -and $v -isnot [string]) { $h[$p.Name] = @($v | ForEach-Object { [string]$_ }) }
        else { $h[$p.Name] = [string]$v }
    }
    return $h
}

function Open-ExchangeSession($init) {
    $options = @{
        ConfigurationName = 'Microsoft.Exchange'
        ConnectionUri     = [uri][string]$init.connectionUri
        Authentication    = [string]$init.authentication
    }
    if ($init.PSObject.Properties['username']) {
        $secure = ConvertTo-SecureString -String ([string]$init.password) -AsPlainText -Force
        $options['Credential'] = New-Object System.Management.Automation.PSCredential ([string]$init.username, $secure)
    }
    $s = New-PSSession @options
    # The endpoint runs in restricted language mode: only command invocations go to it, through the
    # proxy functions Import-PSSession makes for the allowed cmdlets the server has.
    Import-PSSession -Session $s -CommandName $Allowed -DisableNameChecking -AllowClobber | Out-Null
    return $s
}

$init = ConvertFrom-Json -InputObject $stdin.ReadLine()
try {
    $session = Open-ExchangeSession $init
    $hostName = ([uri][string]$init.connectionUri).Host.Split('.')[0]
    $server = @(Get-ExchangeServer | Where-Object { $_.Name -eq $hostName }) + @(Get-ExchangeServer) | Select-Object -First 1
    Send-Line ([ordered]@{ type = 'hello'; protocol = 1; version = [string]$server.AdminDisplayVersion })
} catch {
    Send-Line ([ordered]@{ type = 'hello'; error = $_.Exception.Message })
    exit 2
}

while ($null -ne ($line = $stdin.ReadLine())) {
    $id = ''
    $hostWarnings = @()
    $failure = $null
    try {
        $request = ConvertFrom-Json -InputObject $line
        $id = [string]$request.id
        $name = [string]$request.cmdlet
        if ($Allowed -notcontains $name) {
            $failure = [ordered]@{ category = 'NotAllowed'; message = "cmdlet '$name' is not in the allow list"; errorId = 'NotAllowed' }
        } else {
            if ($session.State -ne 'Opened') {
                Remove-PSSession -Session $session -ErrorAction SilentlyContinue
                $session = Open-ExchangeSession $init
            }
            $params = @{}
            foreach ($prop in $request.parameters.PSObject.Properties) {
                if ($prop.Name -notmatch '^[A-Za-z][A-Za-z0-9]{0,63}$' -or $Reserved -contains $prop.Name) {
                    throw [System.ArgumentException] "parameter name '$($prop.Name)' is not allowed"
                }
                $params[$prop.Name] = ConvertTo-ParameterValue $prop.Value
            }
            $batch = New-Object System.Collections.ArrayList
            & $name @params -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable hostWarnings | ForEach-Object {
                [void]$batch.Add((ConvertTo-Plain $_))
                if ($batch.Count -ge 100) {
                    Send-Line ([ordered]@{ type = 'objects'; id = $id; objects = $batch.ToArray() })
                    $batch.Clear()
                }
            }
            if ($batch.Count -gt 0) {
                Send-Line ([ordered]@{ type = 'objects'; id = $id; objects = $batch.ToArray() })
            }
        }
    } catch {
        $failure = [ordered]@{
            category = [string]$_.CategoryInfo.Category
            message  = $_.Exception.Message
            errorId  = [string]$_.FullyQualifiedErrorId
        }
    }
    Send-Line ([ordered]@{ type = 'end'; id = $id; warnings = @($hostWarnings | ForEach-Object { [string]$_ }); error = $failure })
}
Remove-PSSession -Session $session -ErrorAction SilentlyContinue
