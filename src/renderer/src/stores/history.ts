// The transcript history as the History view lists it: main searches its store.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { HistoryItem } from '../../../shared/ipc.ts';

export const useHistoryStore = defineStore('history', () => {
  const query = ref('');
  const items = ref<HistoryItem[]>([]);
  const loading = ref(false);
  let latest = 0;

  /** Lists the newest transcripts matching the query; a newer call wins over a slower one. */
  async function load(): Promise<void> {
    const call = ++latest;
    loading.value = true;
    try {
      const found = await window.tingxie.history.search(query.value, 200);
      if (call === latest) items.value = found;
    } finally {
      if (call === latest) loading.value = false;
    }
  }

  return { query, items, loading, load };
});
