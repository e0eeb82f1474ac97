; Windows installer additions; electron-builder's NSIS target includes build/installer.nsh
; (its default `nsis.include`, from the build resources folder).
;
; The local server's voice detection (onnxruntime-node) needs the Microsoft Visual C++
; runtime: its DLLs import MSVCP140.dll and VCRUNTIME140(_1).dll, which Windows does not always
; have and Electron does not bring. Tingxie starts without it, and only the local server fails
; (saying what to install). The installer downloads nothing, so that it works offline too: it
; checks the runtime's registry entry and, where the runtime is missing or older than the one
; onnxruntime-node 1.30 was built with (MSVC 14.44), says where to get it.

!include LogicLib.nsh
!include x64.nsh

; The runtime's version that onnxruntime-node's DLLs need at least (their linker version).
!define TINGXIE_VC_RUNTIME_MINOR 44

!macro customInstall
  ${IfNot} ${Silent}
    !insertmacro tingxieCheckVcRuntime
  ${EndIf}
!macroend

!macro tingxieCheckVcRuntime
  Push $0
  Push $1
  Push $2
  ; The runtime of the app's architecture: arm64 where the arm64 app was installed.
  StrCpy $2 "x64"
  !ifdef APP_ARM64
    ${If} ${IsNativeARM64}
      StrCpy $2 "arm64"
    ${EndIf}
  !endif
  ; 64-bit runtimes register in the 64-bit view (the installer set it: the app is 64-bit only).
  SetRegView 64
  ReadRegDWORD $0 HKLM "SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\$2" "Installed"
  ReadRegDWORD $1 HKLM "SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\$2" "Minor"
  ${If} $0 <> 1
  ${OrIf} $1 < ${TINGXIE_VC_RUNTIME_MINOR}
    ${If} ${Cmd} `MessageBox MB_YESNO|MB_ICONINFORMATION "Tingxie's offline server needs the Microsoft Visual C++ Redistributable ($2), which is missing or out of date on this computer. Everything else in Tingxie works without it, with an online server (Settings > Server).$\r$\n$\r$\nDownload it now? (Later: https://aka.ms/vs/17/release/vc_redist.$2.exe, then restart Tingxie.)" /SD IDNO IDYES`
      ExecShell "open" "https://aka.ms/vs/17/release/vc_redist.$2.exe"
    ${EndIf}
  ${EndIf}
  Pop $2
  Pop $1
  Pop $0
!macroend
