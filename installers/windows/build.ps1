# Build the Windows installer: PyInstaller bundle, then Inno Setup.
#
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1 [-Python PATH] [-Out DIR]
#
# Needs: Python 3.11+ with the development environment (python -m venv .venv;
# .venv\Scripts\pip install -e .[test]), Inno Setup 6 (https://jrsoftware.org/isinfo.php:
# iscc.exe on PATH or in its default folder). Output: DIR\isms-desktop-X.Y.Z-windows-x64-setup.exe
param(
    [string]$Python = "",
    [string]$Out = ""
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
if (-not $Python) { $Python = Join-Path $Root ".venv\Scripts\python.exe" }
if (-not $Out) { $Out = Join-Path $Root "dist" }
New-Item -ItemType Directory -Force -Path $Out | Out-Null
$Out = (Resolve-Path $Out).Path

function Check($what) {
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit $LASTEXITCODE)" }
}

$Version = (& $Python -c "import sys; sys.path.insert(0, r'$Root'); import isms_desktop; print(isms_desktop.__version__)").Trim()
Check "reading the version"
$Work = Join-Path ([System.IO.Path]::GetTempPath()) ("isms-build-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $Work | Out-Null
try {
    Write-Host "== icon"
    $Icon = Join-Path $Work "isms-desktop.ico"
    & $Python (Join-Path $Root "installers\render_icons.py") --ico $Icon
    Check "render_icons.py"

    Write-Host "== version resource"
    $parts = ($Version -split "[^0-9]+" | Where-Object { $_ -ne "" } | Select-Object -First 4)
    while ($parts.Count -lt 4) { $parts += "0" }
    $tuple = ($parts -join ", ")
    $VersionFile = Join-Path $Work "version_info.txt"
    (Get-Content (Join-Path $PSScriptRoot "version_info.txt.in") -Raw).
        Replace("@VERSION_TUPLE@", $tuple).Replace("@VERSION@", $Version) |
        Set-Content -Encoding UTF8 $VersionFile

    Write-Host "== PyInstaller"
    $env:ISMS_ICON_ICO = $Icon
    $env:ISMS_WIN_VERSION_FILE = $VersionFile
    & $Python -m PyInstaller --noconfirm --clean --log-level WARN `
        --distpath (Join-Path $Work "dist") --workpath (Join-Path $Work "build") `
        (Join-Path $Root "installers\isms-desktop.spec")
    Check "PyInstaller"
    $Bundle = Join-Path $Work "dist\isms-desktop"
    & (Join-Path $Bundle "isms-desktop-cli.exe") --version
    Check "the built program"

    Write-Host "== Inno Setup"
    $Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
    if (-not $Iscc) { $Iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
    if (-not (Test-Path $Iscc)) { throw "Inno Setup 6 (ISCC.exe) is not installed" }
    & $Iscc "/DAppVersion=$Version" "/DBundleDir=$Bundle" "/DIconFile=$Icon" "/DOutputDir=$Out" `
        (Join-Path $PSScriptRoot "isms-desktop.iss")
    Check "Inno Setup"
    Write-Host "installer: $Out\isms-desktop-$Version-windows-x64-setup.exe"
}
finally {
    Remove-Item -Recurse -Force $Work -ErrorAction SilentlyContinue
}
