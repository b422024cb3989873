; Keywarden's Windows installer (NSIS 3), built by .ci/windows-setup.sh:
;   makensis -DVERSION=0.1.0 -DVERSION4=0.1.0.1 -DEXE=... -DICON=... -DOUTFILE=... keywarden.nsi
; A per-user install without administrator rights, into
; %LOCALAPPDATA%\Programs\Keywarden, with a Start-menu entry and an entry
; under HKCU's Uninstall key, so "Installed apps" can remove it. /S installs
; and uninstalls silently. An upgrade replaces the program only: the
; person's keys (Credential Manager) and records (%APPDATA%\keywarden) are
; never in the program's folder. The uninstaller removes the program, the
; Start-menu entry, the keywarden: link and the toasts' registration that
; the tray part writes, and the start-at-login entry; it keeps the keys and
; records unless asked (the box on its page, or /PURGE with /S).
Unicode true
Target amd64-unicode
; -DFAST: no compression (the upgrade test's older installer, made in
; seconds); else LZMA, a third of the exe's size.
!ifdef FAST
SetCompress off
!else
SetCompressor /SOLID lzma
!endif
RequestExecutionLevel user
ManifestDPIAware true

!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh
!include x64.nsh

!define NAME "Keywarden"
!define PUBLISHER "The Keywarden developers"
!define APPID "io.github.keywarden.Keywarden"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Keywarden"
; Written by app/tray (the toasts' keywarden: links and their name and
; icon) and app/autostart (start at login); removed here.
!define LINKKEY "Software\Classes\keywarden"
!define AUMIDKEY "Software\Classes\AppUserModelId\${APPID}"
!define RUNKEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define APPROVEDKEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"

Name "${NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Keywarden"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIFileVersion "${VERSION4}"
VIAddVersionKey /LANG=1033 "ProductName" "${NAME}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION4}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${NAME} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_FINISHPAGE_RUN "$INSTDIR\keywarden.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${NAME}"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!define MUI_COMPONENTSPAGE_TEXT_TOP "${NAME} is removed. Your keys (in the Credential Manager) and records (in $APPDATA\keywarden) are kept unless you tick the box."
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
	SetShellVarContext current
	${IfNot} ${RunningX64}
		MessageBox MB_ICONSTOP "${NAME} needs 64-bit Windows." /SD IDOK
		SetErrorLevel 2
		Quit
	${EndIf}
	SetRegView 64
FunctionEnd

; A running copy holds its exe: ask to quit it (silently: fail, exit 1).
Function CheckNotRunning
	${Do}
		${IfNot} ${FileExists} "$INSTDIR\keywarden.exe"
			Return
		${EndIf}
		ClearErrors
		FileOpen $0 "$INSTDIR\keywarden.exe" a
		${IfNot} ${Errors}
			FileClose $0
			Return
		${EndIf}
		MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${NAME} is running. Quit it (its tray menu: Quit), then press Retry." /SD IDCANCEL IDRETRY again
		SetErrorLevel 1
		Quit
		again:
	${Loop}
FunctionEnd

Section "${NAME}" SecProgram
	SectionIn RO
	Call CheckNotRunning
	SetOutPath "$INSTDIR"
	File "/oname=keywarden.exe" "${EXE}"
	WriteUninstaller "$INSTDIR\uninstall.exe"
	CreateShortCut "$SMPROGRAMS\${NAME}.lnk" "$INSTDIR\keywarden.exe" "" "$INSTDIR\keywarden.exe" 0 SW_SHOWNORMAL "" "Keeps your Kraken API keys safe"

	WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${NAME}"
	WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\keywarden.exe,0"
	WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
	WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
	WriteRegStr HKCU "${UNINSTKEY}" "URLInfoAbout" "${WEBSITE}"
	WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
	WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
	${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
	IntFmt $0 "0x%08X" $0
	WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "un.${NAME}" SecUnProgram
	SectionIn RO
	Call un.CheckNotRunning
	Delete "$INSTDIR\keywarden.exe"
	Delete "$INSTDIR\uninstall.exe"
	RMDir "$INSTDIR"
	Delete "$SMPROGRAMS\${NAME}.lnk"
	DeleteRegKey HKCU "${LINKKEY}"
	DeleteRegKey HKCU "${AUMIDKEY}"
	DeleteRegValue HKCU "${RUNKEY}" "${NAME}"
	DeleteRegValue HKCU "${APPROVEDKEY}" "${NAME}"
	; The toasts' icon and the running copies' lock and port files.
	Delete "$APPDATA\keywarden\keywarden-icon.png"
	RMDir /r "$LOCALAPPDATA\keywarden\run"
	RMDir "$LOCALAPPDATA\keywarden"
	DeleteRegKey HKCU "${UNINSTKEY}"
SectionEnd

Section /o "un.Also remove my keys and records" SecData
	Call un.DeleteCredentials
	RMDir /r "$APPDATA\keywarden"
SectionEnd

Function un.onInit
	SetShellVarContext current
	SetRegView 64
	; /PURGE (with /S): also remove the keys and records.
	${GetParameters} $0
	ClearErrors
	${GetOptions} $0 "/PURGE" $1
	${IfNot} ${Errors}
		SectionSetFlags ${SecData} ${SF_SELECTED}
	${EndIf}
FunctionEnd

!insertmacro MUI_UNFUNCTION_DESCRIPTION_BEGIN
	!insertmacro MUI_DESCRIPTION_TEXT ${SecData} "Deletes every key Keywarden keeps in the Credential Manager, and its records. Revoke the keys on Kraken first if you no longer use them."
!insertmacro MUI_UNFUNCTION_DESCRIPTION_END

Function un.CheckNotRunning
	${IfNot} ${FileExists} "$INSTDIR\keywarden.exe"
		Return
	${EndIf}
	ClearErrors
	FileOpen $0 "$INSTDIR\keywarden.exe" a
	${IfNot} ${Errors}
		FileClose $0
		Return
	${EndIf}
	MessageBox MB_ICONEXCLAMATION "${NAME} is running. Quit it (its tray menu: Quit), then uninstall again." /SD IDOK
	SetErrorLevel 1
	Quit
FunctionEnd

; Deletes the Credential Manager entries go-keyring made for Keywarden
; (generic credentials named keywarden:<record ID>).
Function un.DeleteCredentials
	System::Call 'advapi32::CredEnumerateW(w "keywarden:*", i 0, *i .r1, *p .r2) i .r0'
	${If} $0 == 0
		Return
	${EndIf}
	StrCpy $3 0
	${DoWhile} $3 < $1
		IntOp $4 $3 * ${NSIS_PTR_SIZE}
		IntPtrOp $5 $2 + $4
		System::Call '*$5(p .r6)'
		; CREDENTIALW: Flags, Type, then TargetName.
		System::Call '*$6(i .r8, i .r9, w .r7)'
		System::Call 'advapi32::CredDeleteW(w r7, i r9, i 0)'
		IntOp $3 $3 + 1
	${Loop}
	System::Call 'advapi32::CredFree(p r2)'
FunctionEnd
