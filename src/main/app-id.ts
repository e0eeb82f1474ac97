// The app's identity to the OS, one value for the installer and the running app: Windows
// groups the app's windows and shows its notifications under this AppUserModelID, which the
// NSIS installer gives the Start-menu shortcut (electron-builder's `appId`).
export const APP_USER_MODEL_ID = 'org.tingxie.app';
