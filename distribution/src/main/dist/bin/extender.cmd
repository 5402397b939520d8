@echo off
rem Cloud Extender command: extender run ^| status ^| --version ^| --help (all arguments go to the extender).
rem
rem Runs com.cloudextender.core.cli.ExtenderMain with lib\* and the options in conf\jvm.options, from the
rem installation folder (the parent of bin\), so that relative paths in conf\extender.properties resolve there.
rem Logs go to the installation's logs\ folder (conf\logback.xml).
rem
rem Environment: JAVA_HOME (else java from the PATH), EXTENDER_JAVA_OPTS (extra JVM options).
setlocal

for %%i in ("%~dp0..") do set "EXTENDER_HOME=%%~fi"

if defined JAVA_HOME (
  set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
) else (
  set "JAVA_EXE=java.exe"
)

if not exist "%EXTENDER_HOME%\conf\jvm.options" (
  echo extender: cannot read %EXTENDER_HOME%\conf\jvm.options: restore it from the archive 1>&2
  exit /b 2
)

rem One option per line; lines starting with # are comments. No delayed expansion, so that "!" in the
rem arguments is kept.
set "JVM_OPTS="
for /f "usebackq eol=# tokens=* delims=" %%o in ("%EXTENDER_HOME%\conf\jvm.options") do call :add_option "%%o"

cd /d "%EXTENDER_HOME%"
"%JAVA_EXE%" %JVM_OPTS% %EXTENDER_JAVA_OPTS% "-Dextender.home=%EXTENDER_HOME%" "-Dextender.logDir=%EXTENDER_HOME%\logs" "-Dlogback.configurationFile=%EXTENDER_HOME%\conf\logback.xml" -cp "%EXTENDER_HOME%\lib\*" com.cloudextender.core.cli.ExtenderMain %*
exit /b %ERRORLEVEL%

:add_option
set "JVM_OPTS=%JVM_OPTS% %~1"
goto :eof
