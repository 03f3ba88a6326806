; BLK Komunitas installer (NSIS 3, Debian package `nsis`). Built by `make dist`:
;   makensis -DVERSION=0.1.0 -DBUILD=1 -DEXE=dist/blk.exe -DOUTFILE=dist/blk-0.1.0-setup.exe blk.nsi
; What it promises (docs/RELEASING.md):
; - installs blk.exe into Program Files, a Start Menu entry for all users and,
;   unless unticked, a desktop shortcut;
; - registers an uninstaller in Add/Remove Programs;
; - installs silently with /S (the updater and IT staff use that);
; - never touches the operator's data (%APPDATA%\blk-komunitas, the app's
;   preferences in %APPDATA%\fyne): upgrades and uninstalls keep it.

!ifndef VERSION | BUILD | EXE | OUTFILE | ICON
  !error "pass -DVERSION=x.y.z -DBUILD=n -DEXE=path\to\blk.exe -DOUTFILE=setup.exe -DICON=blk.ico"
!endif

Unicode true
Target amd64-unicode          ; blk.exe is amd64; a 64-bit installer sees the real Program Files and registry
ManifestSupportedOS all
ManifestDPIAware true
RequestExecutionLevel admin   ; Program Files and HKLM need it
SetCompressor /SOLID lzma

!define APPNAME   "BLK Komunitas"
!define PUBLISHER "Kementerian Ketenagakerjaan Republik Indonesia"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\BLKKomunitas"
!define APPKEY    "Software\Kemnaker\BLK Komunitas"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.${BUILD}"
VIFileVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} ${VERSION} setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "Sections.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
; The installer runs elevated; the app must not, or its data would go to
; the administrator's profile instead of the operator's. Explorer starts it
; as the signed-in user.
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_FUNCTION StartAsUser

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!define MUI_FINISHPAGE_TITLE "$(UnDoneTitle)"
!define MUI_FINISHPAGE_TEXT "$(UnDoneText)"
!insertmacro MUI_UNPAGE_FINISH

; The first language is the fallback when Windows' language is neither.
!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_LANGUAGE "English"

LangString SecAppName ${LANG_INDONESIAN} "BLK Komunitas (wajib)"
LangString SecAppName ${LANG_ENGLISH} "BLK Komunitas (required)"
LangString SecDesktopName ${LANG_INDONESIAN} "Pintasan di desktop"
LangString SecDesktopName ${LANG_ENGLISH} "Desktop shortcut"
LangString NeedsWin10 ${LANG_INDONESIAN} "BLK Komunitas memerlukan Windows 10 atau yang lebih baru."
LangString NeedsWin10 ${LANG_ENGLISH} "BLK Komunitas needs Windows 10 or later."
LangString UnDoneTitle ${LANG_INDONESIAN} "BLK Komunitas sudah dihapus"
LangString UnDoneTitle ${LANG_ENGLISH} "BLK Komunitas has been removed"
LangString UnDoneText ${LANG_INDONESIAN} "Program sudah dihapus. Data lembaga tetap disimpan di %APPDATA%\blk-komunitas dan akan dipakai lagi bila BLK Komunitas dipasang kembali."
LangString UnDoneText ${LANG_ENGLISH} "The program has been removed. The centre's data is kept in %APPDATA%\blk-komunitas and will be used again if BLK Komunitas is installed again."

Section "$(SecAppName)" SecApp
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  ; An upgrade may run while the old blk.exe is still open (the updater
  ; starts it and the app then quits). Windows lets a running program be
  ; renamed but not overwritten: move it aside and delete it at the next
  ; reboot if it is still in use.
  Delete "$INSTDIR\blk.old.exe"
  ${If} ${FileExists} "$INSTDIR\blk.exe"
    Rename "$INSTDIR\blk.exe" "$INSTDIR\blk.old.exe"
    Delete /REBOOTOK "$INSTDIR\blk.old.exe"
  ${EndIf}
  File "/oname=blk.exe" "${EXE}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\blk.exe"

  WriteRegStr HKLM "${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${APPKEY}" "Version" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\blk.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecDesktopName)" SecDesktop
  SetShellVarContext all
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\blk.exe"
SectionEnd

; Remembered so that a silent upgrade does not bring back a shortcut the
; operator chose not to have.
Section "-remember choices"
  ${If} ${SectionIsSelected} ${SecDesktop}
    WriteRegDWORD HKLM "${APPKEY}" "DesktopShortcut" 1
  ${Else}
    WriteRegDWORD HKLM "${APPKEY}" "DesktopShortcut" 0
    SetShellVarContext all
    Delete "$DESKTOP\${APPNAME}.lnk"
  ${EndIf}
SectionEnd

Function StartAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\blk.exe"'
FunctionEnd

Function .onInit
  SetRegView 64
  ; Go's Windows runtime needs Windows 10 (build 10240) or later.
  ${IfNot} ${AtLeastBuild} 10240
    MessageBox MB_OK|MB_ICONSTOP "$(NeedsWin10)" /SD IDOK
    Abort
  ${EndIf}
  ClearErrors
  ReadRegDWORD $0 HKLM "${APPKEY}" "DesktopShortcut"
  ${IfNot} ${Errors}
  ${AndIf} $0 == 0
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; The uninstaller removes what the installer made and nothing else: the data
; folder and preferences stay, so reinstalling finds the centre as it was.
Section "Uninstall"
  SetShellVarContext all
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$INSTDIR\blk.exe"
  Delete /REBOOTOK "$INSTDIR\blk.old.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "${APPKEY}"
  DeleteRegKey /ifempty HKLM "Software\Kemnaker"
SectionEnd
