; Inno Setup script for Counsellor Desk on Windows. NOT BUILT BY THIS PROJECT'S CI: build it
; on a Windows machine as packaging/windows/README.md says (bundle first, then this script).
;
;   iscc packaging\windows\counsellor-desk.iss
;
; Output: dist\CounsellorDesk-<version>-setup.exe. Trust IT can deploy it silently:
;   CounsellorDesk-0.1.0-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS

#define AppName "Counsellor Desk"
#define AppVersion "0.1.0"
#define AppPublisher "Counsellor Desk developers"
#define BundleDir "..\..\dist\counsellor-app"

[Setup]
; Never change AppId: Windows uses it to find an earlier installation to upgrade.
AppId={{6E1F3A52-8C4B-4D2E-9F17-3B5D0C8A9E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-machine by default (IT deploys it); a user without admin rights may install for themselves.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=commandline dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=CounsellorDesk-{#AppVersion}-setup
SetupIconFile=counsellor-desk.ico
UninstallDisplayIcon={app}\CounsellorDesk.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The bundle's programs must not be running while they are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: CounsellorDesk.exe (windowed), counsellor-app.exe (command line)
; and _internal\ (Python, Qt, SQLCipher, resources, migrations).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\CounsellorDesk.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\CounsellorDesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\CounsellorDesk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Uninstalling removes the program only. Each user's encrypted cache, settings and logs stay in
; %LOCALAPPDATA%\counsellor-desk (with its key in Windows Credential Manager) until IT removes
; them: see README.md beside this file.
