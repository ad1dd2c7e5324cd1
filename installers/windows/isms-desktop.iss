; Inno Setup 6 script for isms-desktop: a per-user or per-machine installer with a Start menu
; entry, the .isms file association and an uninstaller (Settings > Apps, or the Start menu).
;
; Built by installers\windows\build.ps1, which runs PyInstaller first and then
;   iscc /DAppVersion=X.Y.Z /DBundleDir=...\isms-desktop /DIconFile=...\isms-desktop.ico
;        /DOutputDir=...\dist installers\windows\isms-desktop.iss
; Output: isms-desktop-X.Y.Z-windows-x64-setup.exe

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build.ps1 reads isms_desktop.__version__)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\windows\isms-desktop"
#endif
#ifndef IconFile
  #define IconFile "..\..\dist\windows\isms-desktop.ico"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "isms-desktop"
#define AppExe "isms-desktop.exe"
#define CliExe "isms-desktop-cli.exe"
#define ProgId "isms-desktop.project"
#define MimeType "application/x-isms-project"

[Setup]
; The AppId never changes: a newer installer finds and replaces the installed version.
AppId={{5B0C2E7A-9D41-4F63-A8E2-3C7D1F4B9A60}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=isms-desktop
AppComments=Run an ISO/IEC 27001:2022 information security management system
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Installs for the current user without administrator rights; the first page offers
; "install for all users" (needs elevation). HKA below follows the choice (HKCU or HKLM).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\isms-desktop.exe
UninstallDisplayName={#AppName} {#AppVersion}
; A running isms-desktop holds its project open: ask to close it before files are replaced.
CloseApplications=yes
RestartApplications=no
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "german"; MessagesFile: "compiler:Languages\German.isl"
Name: "french"; MessagesFile: "compiler:Languages\French.isl"
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "italian"; MessagesFile: "compiler:Languages\Italian.isl"
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder bundle (isms-desktop.exe, isms-desktop-cli.exe, _internal\).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the bundle's library folder as a whole, so no stale module survives.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "ISO/IEC 27001 ISMS"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .isms files: "ISMS project", with the application's icon, opened by isms-desktop.exe.
Root: HKA; Subkey: "Software\Classes\.isms"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.isms"; ValueType: string; ValueName: "Content Type"; ValueData: "{#MimeType}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.isms\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "ISMS project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".isms"; ValueData: ""; Flags: uninsdeletekey
; "Open with" lists it by its name rather than the file name of the program.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Python caches written beside the bundled Alembic migrations when they first run.
Type: filesandordirs; Name: "{app}\_internal\isms_desktop\storage\migrations\__pycache__"
Type: filesandordirs; Name: "{app}\_internal\isms_desktop\storage\migrations\versions\__pycache__"
Type: dirifempty; Name: "{app}"
; The user's projects, settings (registry: HKCU\Software\isms-desktop) and logs are kept.
