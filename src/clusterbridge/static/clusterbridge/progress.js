// Polls a background job's JSON (the element's data-url) and moves its progress bar;
// reloads the page when the job is over. Used by every job's progress bar (core/_job_progress.html).
(function () {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const text = box.querySelector("[data-progress-text]");
  const best = box.querySelector("[data-progress-best]");
  const status = box.querySelector("[data-progress-status]");
  (function poll() {
    fetch(box.dataset.progressUrl).then(r => r.json()).then(j => {
      bar.value = j.percent;
      if (text) text.textContent = j.percent + "%";
      if (status && status.dataset[j.status]) status.textContent = status.dataset[j.status];
      if (best && j.breaks !== null && j.breaks !== undefined) {
        best.textContent = best.dataset.label.replace("%s", j.breaks);
      }
      if (j.status === "queued" || j.status === "running") { setTimeout(poll, 700); } else { location.reload(); }
    }).catch(() => setTimeout(poll, 2000));
  })();
})();
