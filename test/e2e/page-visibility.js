// Init script for the e2e page: `setPageHidden(hidden)` makes the page hidden or shown as the
// OS does when its window is minimized or restored (document.hidden, visibilityState and the
// visibilitychange event), and `meterWhileHidden` collects every value the level meter showed
// while the page was hidden.
/* global Document, document, MutationObserver */
{
  let hidden = false;
  Object.defineProperty(Document.prototype, 'hidden', { get: () => hidden });
  Object.defineProperty(Document.prototype, 'visibilityState', {
    get: () => (hidden ? 'hidden' : 'visible'),
  });
  globalThis.meterWhileHidden = [];
  globalThis.setPageHidden = (value) => {
    hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (hidden && r.target.getAttribute('role') === 'meter') {
        globalThis.meterWhileHidden.push(r.target.getAttribute('aria-valuenow'));
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
}
