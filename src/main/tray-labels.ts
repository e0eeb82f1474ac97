// The tray menu's words, in the two languages of the window (main has no vue-i18n).
import type { TrayState } from '../core/dictation/hands-free-tray.ts';
import type { HotkeyModeSetting, OutputMode, UiLocale } from '../shared/settings.ts';

export interface TrayLabels {
  start: string;
  stop: string;
  mode: string;
  modes: Record<HotkeyModeSetting, string>;
  output: string;
  outputs: Record<OutputMode, string>;
  recent: string;
  noTranscripts: string;
  copyHint: string;
  history: string;
  settings: string;
  quit: string;
  /** Said once a run, when the window is closed and Tingxie stays in the tray. */
  stillRunning: string;
  states: Record<TrayState, string>;
}

const LABELS: Record<UiLocale, TrayLabels> = {
  en: {
    start: 'Start dictation',
    stop: 'Stop dictation',
    mode: 'Hotkey mode',
    modes: { hold: 'Hold to talk', toggle: 'Press to start, press to stop' },
    output: 'Output',
    outputs: { paste: 'Paste', type: 'Type', copy: 'Copy only' },
    recent: 'Recent transcripts (click to copy)',
    noTranscripts: 'No transcripts yet',
    copyHint: 'Copy to the clipboard',
    history: 'Open history',
    settings: 'Settings…',
    quit: 'Quit Tingxie',
    stillRunning:
      'Tingxie is still running in the tray, and the hotkey still dictates. To quit, use the tray icon’s menu.',
    states: {
      idle: 'ready',
      listening: 'listening',
      transcribing: 'transcribing',
      error: 'something went wrong',
    },
  },
  'zh-CN': {
    start: '开始听写',
    stop: '停止听写',
    mode: '快捷键模式',
    modes: { hold: '按住说话', toggle: '按一下开始，再按一下停止' },
    output: '输出方式',
    outputs: { paste: '粘贴', type: '逐字输入', copy: '仅复制' },
    recent: '最近的转写（点击复制）',
    noTranscripts: '还没有转写',
    copyHint: '复制到剪贴板',
    history: '打开历史记录',
    settings: '设置…',
    quit: '退出听写',
    stillRunning: '听写仍在托盘中运行，快捷键照常可用。要退出，请使用托盘图标的菜单。',
    states: { idle: '就绪', listening: '正在听', transcribing: '正在转写', error: '出错了' },
  },
};

export function trayLabels(locale: UiLocale): TrayLabels {
  return LABELS[locale];
}

/** The window's language setting ('system' follows the OS) as one of the tray's two. */
export function resolveTrayLocale(choice: UiLocale | 'system', systemLocale: string): UiLocale {
  if (choice !== 'system') return choice;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
