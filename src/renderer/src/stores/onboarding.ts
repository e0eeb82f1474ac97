// The first run's guided setup: how speech is recognised (a cloud service, or a model on this
// computer), a microphone check with a test dictation, then the hotkey. Shown while the saved
// settings say it is not done (a new install), or when Settings asks to set up again; finishing
// or skipping saves it as done, and it is not shown again.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useSettingsStore } from './settings.ts';

export type OnboardingPath = 'cloud' | 'offline';
export type OnboardingStep = 'welcome' | OnboardingPath | 'microphone' | 'hotkey';

/** The steps as the progress list names them: choosing the service is one step. */
export const ONBOARDING_STAGES = ['service', 'microphone', 'hotkey'] as const;
export type OnboardingStage = (typeof ONBOARDING_STAGES)[number];

export const useOnboardingStore = defineStore('onboarding', () => {
  const settings = useSettingsStore();
  /** Settings → "Set up again" was pressed. */
  const again = ref(false);
  const step = ref<OnboardingStep>('welcome');
  const path = ref<OnboardingPath>('cloud');
  /** Saving "done" failed: the message, shown beside Skip. */
  const problem = ref<string | null>(null);

  const shown = computed(
    () => again.value || (settings.saved !== null && !settings.saved.ui.onboardingDone),
  );
  const stage = computed<OnboardingStage>(() =>
    step.value === 'microphone' || step.value === 'hotkey' ? step.value : 'service',
  );

  function go(next: OnboardingStep): void {
    if (next === 'cloud' || next === 'offline') path.value = next;
    step.value = next;
  }

  /** Settings → "Set up again": from the start, with the settings as saved. */
  function restart(): void {
    settings.revert();
    problem.value = null;
    step.value = 'welcome';
    again.value = true;
  }

  /** Done or skipped: what a step left unsaved is dropped, and the setup is not shown again. */
  async function finish(): Promise<void> {
    settings.revert();
    problem.value = null;
    if (settings.saved && !settings.saved.ui.onboardingDone) {
      const saved = await settings.saveUi({ onboardingDone: true }).catch(() => false);
      if (!saved) {
        problem.value = 'onboarding.saveFailed';
        return;
      }
    }
    again.value = false;
    step.value = 'welcome';
  }

  return { again, step, path, problem, shown, stage, go, restart, finish };
});
