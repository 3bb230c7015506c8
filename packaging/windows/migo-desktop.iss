; Inno Setup 6.3+ script: the Windows installer of Migo Desktop (per user, no administrator rights).
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\migo-desktop /DOutputDir=..\..\dist packaging\windows\migo-desktop.iss
;
; packaging/build.py runs exactly that on Windows when iscc is on PATH (the release workflow installs Inno
; Setup first). Output: dist\MigoDesktop-<version>-setup.exe.
; The uninstaller removes the program; it deletes the user's data (history, cache, preferences, logs, the
; saved token) only if the person says so, and never in a silent uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\migo-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "Migo Desktop"
#define AppExe "migo-desktop.exe"
#define AppUserModelID "pe.migo.MigoDesktop"
; platformdirs' folder for config, data, cache and logs (paths.py: appauthor=False, not roaming)
#define DataFolder "{localappdata}\migo-desktop"
; keyring's Windows Credential Manager target for the token (credentials.KEYRING_SERVICE)
#define KeyringTarget "migo-desktop"
#define KeyringUser "api-token"

[Setup]
AppId={{6F1C2B4E-3A57-4D0B-9E61-2C8A7D5B41F3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Migo Desktop
AppPublisherURL=https://api.migo.pe
AppSupportURL=https://api.migo.pe
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; per-user install: {autopf} is %LOCALAPPDATA%\Programs, no UAC prompt
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=MigoDesktop-{#AppVersion}-setup
SetupIconFile=..\icons\app.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
LicenseFile=..\..\LICENSE
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "spanish"; MessagesFile: "compiler:Languages\Spanish.isl"

[CustomMessages]
spanish:DeleteDataQuestion=¿Borrar también tus datos de Migo Desktop?%n%nSe borrarán el historial de consultas masivas, la caché, las preferencias, los registros y el token guardado en este equipo. Tus archivos de Excel no se tocan.%n%nSi vas a reinstalar la aplicación, elige «No».
spanish:LaunchApp=Abrir {#AppName}

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppUserModelID}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppUserModelID}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  if (CurUninstallStep = usPostUninstall) and (not UninstallSilent) then
  begin
    if MsgBox(CustomMessage('DeleteDataQuestion'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    begin
      DelTree(ExpandConstant('{#DataFolder}'), True, True, True);
      { keyring keeps the token under the service name, and an older one under user@service }
      Exec(ExpandConstant('{sys}\cmdkey.exe'), '/delete:{#KeyringTarget}', '', SW_HIDE,
        ewWaitUntilTerminated, ResultCode);
      Exec(ExpandConstant('{sys}\cmdkey.exe'), '/delete:{#KeyringUser}@{#KeyringTarget}', '', SW_HIDE,
        ewWaitUntilTerminated, ResultCode);
    end;
  end;
end;
