; Inno Setup script for Windows: packs the folder PyInstaller made into one installer.
; Compile with: iscc /DVersion=0.1.0 installer\lscb_desktop.iss  (after `python make.py installer`)
#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{5B7C2D1E-4A8F-4C3B-9E61-2F0A7D9C1B34}
AppName=LSCB Desktop
AppVersion={#Version}
AppPublisher=LSCB Desktop
DefaultDirName={autopf}\LSCB Desktop
DefaultGroupName=LSCB Desktop
; Installs for the current user, so a council workstation needs no administrator.
PrivilegesRequired=lowest
OutputDir=..\dist
OutputBaseFilename=lscb-desktop-{#Version}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Files]
Source: "..\dist\lscb-desktop-{#Version}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\LSCB Desktop"; Filename: "{app}\lscb-desktop.exe"
Name: "{autodesktop}\LSCB Desktop"; Filename: "{app}\lscb-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Run]
Filename: "{app}\lscb-desktop.exe"; Description: "Start LSCB Desktop"; Flags: nowait postinstall skipifsilent
