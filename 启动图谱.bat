@echo off
rem chainkg launcher for Windows: double-click to start the industry-chain maps in the browser.
rem The first run creates .venv in this folder and installs chainkg into it (offline when a
rem wheels folder is here); later runs start at once. Options are passed to python -m cli.launch.
rem Keep this file ASCII with CRLF line endings: cmd.exe reads it in the OEM code page (GBK on
rem Chinese Windows), so every Chinese message is printed by Python instead.
setlocal
cd /d "%~dp0"
set "VENV_PY=%~dp0.venv\Scripts\python.exe"
if exist "%VENV_PY%" goto have_venv

set "PY="
where py >nul 2>nul
if errorlevel 1 goto try_python
py -3.11 -c "import sys" >nul 2>nul
if not errorlevel 1 set "PY=py -3.11"
if defined PY goto install
py -3 -c "import sys; sys.exit(sys.version_info < (3, 11))" >nul 2>nul
if not errorlevel 1 set "PY=py -3"
if defined PY goto install
:try_python
python -c "import sys; sys.exit(sys.version_info < (3, 11))" >nul 2>nul
if not errorlevel 1 set "PY=python"
if defined PY goto install
echo.
echo Python 3.11 or newer was not found on this computer.
echo Install Python 3.11 (64-bit, tick "Add python.exe to PATH"), then double-click this file again.
echo See the install instructions (the .txt file in this folder) or the README.
echo.
pause
exit /b 1

:install
%PY% scripts\setup_env.py
if errorlevel 1 goto failed
goto launch

:have_venv
"%VENV_PY%" scripts\setup_env.py
if errorlevel 1 goto failed

:launch
"%VENV_PY%" -m cli.launch %*
if errorlevel 1 goto failed
exit /b 0

:failed
echo.
pause
exit /b 1
