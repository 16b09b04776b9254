// The review page: saving segments without reloading, keyboard navigation, suggestions,
// history and conflicts. Plain JavaScript; every text from the server goes in through
// textContent, and only server-escaped diff HTML through innerHTML.
(() => {
  "use strict";
  const root = document.getElementById("review");
  if (!root) return;
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const canApprove = root.dataset.canApprove === "true";
  const segs = Array.from(document.querySelectorAll("li.seg"));
  const info = new Map();
  let current = null;

  for (const seg of segs) {
    const ed = editorOf(seg);
    info.set(seg, {
      base: { text: ed.defaultValue, state: seg.dataset.state },
      matches: [],
      loaded: false,
      busy: false,
    });
  }

  function editorOf(seg) {
    return seg.querySelector("textarea.editor");
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else if (name === "html") node.innerHTML = value; // only server-escaped diff HTML
      else node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(seg, text, isError) {
    const status = seg.querySelector(".status");
    status.textContent = text || "";
    status.classList.toggle("error", Boolean(isError));
  }

  function markDirty(seg) {
    const st = info.get(seg);
    seg.classList.toggle("dirty", editorOf(seg).value !== st.base.text);
  }

  function formatCounts(stats) {
    return T.counts.replace("%(a)d", stats.approved).replace("%(d)d", stats.draft).replace("%(u)d", stats.untranslated);
  }

  function updateStats(stats) {
    const svg = document.querySelector(".head-progress svg.bar");
    if (svg) {
      const approved = svg.querySelector("rect.approved");
      const stale = svg.querySelector("rect.stale");
      const draft = svg.querySelector("rect.draft");
      approved.setAttribute("width", stats.approved_share);
      stale.setAttribute("x", stats.approved_share);
      stale.setAttribute("width", stats.stale_share);
      draft.setAttribute("x", stats.approved_share + stats.stale_share);
      draft.setAttribute("width", stats.draft_share);
    }
    document.getElementById("percent").textContent = stats.percent_words + "%";
    document.getElementById("counts").textContent = formatCounts(stats);
    const numbers = { all: stats.total, approved: stats.approved, draft: stats.draft, untranslated: stats.untranslated };
    for (const [name, n] of Object.entries(numbers)) {
      const span = document.querySelector(`.filters a[data-filter="${name}"] .n`);
      if (span) span.textContent = n;
    }
  }

  function showSegment(seg, s) {
    seg.dataset.state = s.state;
    // Only a reviewer may change an approved translation (the server refuses it too).
    seg.querySelector(".editor").readOnly = s.state === "approved" && !canApprove;
    seg.classList.remove("state-approved", "state-draft", "state-untranslated");
    seg.classList.add("state-" + s.state);
    seg.querySelector(".badge").textContent = T.states[s.state] || s.state;
    seg.querySelector(".origin").textContent = s.origin || "";
    seg.querySelector(".last").textContent = s.last ? `${s.last.user} · ${s.last.at}` : "";
    seg.dataset.ready = s.ready ? "true" : "false";
    if (s.findings) renderFindings(seg, s.findings);
    updateBulk();
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, (_, name) => String(values[name]));
  }

  function renderFindings(seg, findings) {
    const list = seg.querySelector(".findings");
    list.replaceChildren(
      ...findings.map((f) => {
        const item = el(
          "li",
          { class: f.severity + (f.dismissed ? " dismissed" : ""), "data-finding": f.key },
          el("strong", {}, f.label),
          " " + f.message,
        );
        if (f.dismissed) {
          item.append(" ", el("span", { class: "muted" }, format(T.dismissed, f.dismissed)));
        } else if (canApprove) {
          item.append(" ", el("button", { type: "button", class: "link", "data-action": "dismiss" }, T.dismiss));
        }
        return item;
      }),
    );
  }

  function renderNotes(seg, notes) {
    seg.querySelector(".notes").replaceChildren(...notes.map((n) => el("li", {}, n)));
  }

  // Live checks: the findings of the text as it is typed, before any save.
  function scheduleCheck(seg) {
    const st = info.get(seg);
    clearTimeout(st.checkTimer);
    st.checkTimer = setTimeout(() => liveCheck(seg), 350);
  }

  async function liveCheck(seg) {
    const st = info.get(seg);
    const text = editorOf(seg).value;
    const asked = (st.checked = (st.checked || 0) + 1);
    let result;
    try {
      result = await send(root.dataset.check, { method: "POST", body: JSON.stringify({ key: seg.dataset.key, text }) });
    } catch (e) {
      return; // the next keystroke or save tries again
    }
    if (asked !== st.checked || !result.response.ok) return;
    renderFindings(seg, result.data.findings);
    renderNotes(seg, result.data.notes);
  }

  function hideOverride(seg) {
    const box = seg.querySelector(".override");
    box.hidden = true;
    box.replaceChildren();
  }

  // The gate at approval: errors are approved only over a reviewer's stated reason.
  function showOverride(seg, findings, text, then) {
    const box = seg.querySelector(".override");
    const reason = el("input", { type: "text", class: "reason", maxlength: "500", "aria-label": T.override_reason, placeholder: T.override_reason });
    const ok = el("button", { type: "button", class: "primary" }, T.override_ok);
    const cancel = el("button", { type: "button" }, T.cancel);
    const status = el("span", { class: "status error", role: "alert" });
    box.replaceChildren(
      el("p", {}, el("strong", {}, T.override_title)),
      el("ul", {}, ...findings.map((f) => el("li", { class: f.severity }, el("strong", {}, f.label), " " + f.message))),
      reason,
      el("div", { class: "buttons" }, ok, cancel, status),
    );
    box.hidden = false;
    reason.focus();
    const approve = async () => {
      if (!reason.value.trim()) {
        status.textContent = T.reason_required;
        reason.focus();
        return;
      }
      if (await save(seg, "approve", text, reason.value)) {
        hideOverride(seg);
        if (then) then();
      }
    };
    ok.addEventListener("click", approve);
    cancel.addEventListener("click", () => {
      hideOverride(seg);
      editorOf(seg).focus();
    });
    reason.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        event.stopPropagation();
        approve();
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        hideOverride(seg);
        editorOf(seg).focus();
      }
    });
  }

  function showDismiss(seg, item) {
    if (seg.classList.contains("dirty")) {
      setStatus(seg, T.save_first, true);
      return;
    }
    if (item.querySelector("form")) return;
    const reason = el("input", { type: "text", class: "reason", maxlength: "500", "aria-label": T.dismiss_reason, placeholder: T.dismiss_reason });
    const ok = el("button", { type: "submit", class: "primary" }, T.dismiss_ok);
    const cancel = el("button", { type: "button" }, T.cancel);
    const form = el("form", { class: "dismiss" }, reason, ok, cancel);
    item.append(form);
    reason.focus();
    cancel.addEventListener("click", () => form.remove());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!reason.value.trim()) {
        setStatus(seg, T.reason_required, true);
        return;
      }
      const st = info.get(seg);
      const data = await postSegment(seg, root.dataset.dismiss, {
        key: seg.dataset.key,
        finding: item.dataset.finding,
        reason: reason.value,
        base_text: st.base.text,
        base_state: st.base.state,
      });
      if (!data) return;
      st.base = { text: data.segment.text, state: data.segment.state };
      showSegment(seg, data.segment);
      updateStats(data.stats);
      setStatus(seg, T.saved);
      refreshPreview();
    });
  }

  // Bulk approval: every draft on the page without findings, after the count is confirmed.
  const bulk = document.getElementById("bulk-approve");

  function readySegments() {
    return segs.filter((seg) => seg.dataset.ready === "true" && !seg.classList.contains("dirty"));
  }

  function updateBulk() {
    if (!bulk) return;
    const n = readySegments().length;
    bulk.querySelector(".n").textContent = n;
    bulk.disabled = n === 0;
  }

  async function approveDrafts() {
    const ready = readySegments();
    if (!ready.length || !window.confirm(format(T.bulk_confirm, { n: ready.length }))) return;
    let result;
    try {
      result = await send(root.dataset.bulk, {
        method: "POST",
        body: JSON.stringify({ segments: ready.map((seg) => ({ key: seg.dataset.key, base_text: info.get(seg).base.text })) }),
      });
    } catch (e) {
      window.alert(T.offline);
      return;
    }
    const { response, data } = result;
    if (!response.ok) {
      window.alert(`${T.error} ${data.error || response.status}`);
      return;
    }
    for (const s of data.segments) {
      const seg = document.getElementById("seg-" + s.key);
      if (!seg) continue;
      const st = info.get(seg);
      st.base = { text: s.text, state: s.state };
      if (!seg.classList.contains("dirty")) editorOf(seg).value = s.text;
      showSegment(seg, s);
      markDirty(seg);
    }
    updateStats(data.stats);
    document.getElementById("bulk-status").textContent = format(T.bulk_done, { n: data.approved, s: data.skipped });
    refreshPreview();
  }

  if (bulk) bulk.addEventListener("click", approveDrafts);

  // The live preview: what compile would publish, with the editors' unsaved texts if asked.
  const preview = document.getElementById("preview");
  const previewToggle = document.getElementById("preview-toggle");
  const previewDrafts = document.getElementById("preview-drafts");
  let previewTimer = null;
  let previewAsked = 0;

  async function refreshPreview() {
    if (!preview || preview.hidden) return;
    const edits = {};
    for (const seg of segs) {
      if (seg.classList.contains("dirty")) edits[seg.dataset.key] = editorOf(seg).value;
    }
    const asked = ++previewAsked;
    let result;
    try {
      result = await send(root.dataset.preview, { method: "POST", body: JSON.stringify({ edits, drafts: previewDrafts.checked }) });
    } catch (e) {
      return;
    }
    if (asked !== previewAsked) return;
    const body = preview.querySelector(".preview-body");
    if (!result.response.ok) {
      body.replaceChildren(el("p", { class: "status error" }, `${T.preview_failed} ${result.data.error || result.response.status}`));
      return;
    }
    body.innerHTML = result.data.html; // rendered and sanitized by the server (nh3), as compile does
  }

  function schedulePreview() {
    if (!preview || preview.hidden) return;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 500);
  }

  function setPreview(open) {
    preview.hidden = !open;
    previewToggle.setAttribute("aria-expanded", String(open));
    document.body.classList.toggle("with-preview", open);
    if (open) refreshPreview();
  }

  if (preview) {
    previewToggle.addEventListener("click", () => setPreview(preview.hidden));
    document.getElementById("preview-close").addEventListener("click", () => setPreview(false));
    previewDrafts.addEventListener("change", refreshPreview);
  }

  function hideConflict(seg) {
    const box = seg.querySelector(".conflict");
    box.hidden = true;
    box.replaceChildren();
  }

  function showConflict(seg, data) {
    const st = info.get(seg);
    const theirs = data.segment;
    const box = seg.querySelector(".conflict");
    const useTheirs = el("button", { type: "button" }, T.use_theirs);
    const keepMine = el("button", { type: "button", class: "primary" }, T.keep_mine);
    const by = theirs.last ? ` · ${theirs.last.user} · ${theirs.last.at}` : "";
    box.replaceChildren(
      el("p", {}, el("strong", {}, T.conflict)),
      el("div", {}, `${T.theirs} (${T.states[theirs.state] || theirs.state}${by}):`),
      el("div", { class: "theirs", lang: editorOf(seg).lang }, theirs.text),
      el("div", {}, T.changes + ":"),
      el("div", { class: "theirs", html: data.diff_html }),
      el("div", { class: "buttons" }, useTheirs, keepMine),
    );
    box.hidden = false;
    useTheirs.addEventListener("click", () => {
      st.base = { text: theirs.text, state: theirs.state };
      editorOf(seg).value = theirs.text;
      showSegment(seg, theirs);
      hideConflict(seg);
      markDirty(seg);
      setStatus(seg, "");
      editorOf(seg).focus();
    });
    keepMine.addEventListener("click", () => {
      st.base = { text: theirs.text, state: theirs.state };
      showSegment(seg, theirs);
      hideConflict(seg);
      markDirty(seg);
      setStatus(seg, T.keep_mine_hint);
      editorOf(seg).focus();
    });
  }

  async function send(url, options) {
    const headers = { Accept: "application/json", "X-CSRFToken": csrf };
    if (options.body) headers["Content-Type"] = "application/json";
    const response = await fetch(url, { credentials: "same-origin", headers, ...options });
    let data = {};
    try {
      data = await response.json();
    } catch (e) {
      data = { error: response.statusText };
    }
    return { response, data };
  }

  // A POST for one segment: the answer's data, or null with the problem shown on the segment.
  async function postSegment(seg, url, body) {
    let result;
    try {
      result = await send(url, { method: "POST", body: JSON.stringify(body) });
    } catch (e) {
      setStatus(seg, T.offline, true);
      return null;
    }
    const { response, data } = result;
    if (!response.ok) {
      setStatus(seg, `${T.error} ${data.error || response.status}`, true);
      return null;
    }
    return data;
  }

  async function save(seg, action, text, override) {
    const st = info.get(seg);
    if (st.busy) return false;
    const ed = editorOf(seg);
    const sent = text === undefined ? ed.value : text;
    if (action === "approve" && !sent.trim()) {
      setStatus(seg, T.empty_approve, true);
      return false;
    }
    st.busy = true;
    setStatus(seg, T.saving);
    let result;
    try {
      result = await send(root.dataset.save, {
        method: "POST",
        body: JSON.stringify({
          key: seg.dataset.key,
          action,
          text: sent,
          base_text: st.base.text,
          base_state: st.base.state,
          ...(override === undefined ? {} : { override }),
        }),
      });
    } catch (e) {
      st.busy = false;
      setStatus(seg, T.offline, true);
      return false;
    }
    st.busy = false;
    const { response, data } = result;
    if (response.status === 409 && data.status === "needs-override") {
      setStatus(seg, "");
      renderFindings(seg, data.findings);
      showOverride(seg, data.findings, sent, st.then);
      return false;
    }
    if (response.status === 409 && data.status === "conflict") {
      showConflict(seg, data);
      updateStats(data.stats);
      setStatus(seg, "");
      return false;
    }
    if (response.status === 404 || response.status === 409) {
      setStatus(seg, T.gone, true);
      return false;
    }
    if (!response.ok) {
      setStatus(seg, `${T.error} ${data.error || response.status}`, true);
      return false;
    }
    const s = data.segment;
    st.base = { text: s.text, state: s.state };
    if (ed.value === sent) ed.value = s.text;
    showSegment(seg, s);
    hideConflict(seg);
    markDirty(seg);
    updateStats(data.stats);
    setStatus(seg, data.status === "unchanged" ? T.unchanged : T.saved);
    if (!seg.querySelector(".history").hidden) loadHistory(seg, true);
    refreshPreview();
    return true;
  }

  function focusSegment(seg) {
    if (!seg) return;
    const ed = editorOf(seg);
    ed.focus({ preventScroll: true });
    ed.setSelectionRange(ed.value.length, ed.value.length);
    seg.scrollIntoView({ block: "center" });
  }

  function move(delta, unfinished) {
    if (!segs.length) return;
    const start = current ? segs.indexOf(current) : -1;
    const n = segs.length;
    for (let step = 1; step <= n; step++) {
      let index = start + delta * step;
      if (unfinished) index = ((index % n) + n) % n; // wrap around
      else if (index < 0 || index >= n) return;
      const seg = segs[index];
      if (!unfinished || seg.dataset.state !== "approved") {
        focusSegment(seg);
        return;
      }
    }
  }

  async function loadSuggestions(seg) {
    const st = info.get(seg);
    if (st.loaded) return;
    st.loaded = true;
    const box = seg.querySelector(".suggestions");
    box.replaceChildren(el("span", { class: "muted" }, T.loading));
    let result;
    try {
      result = await send(`${root.dataset.suggestions}?key=${encodeURIComponent(seg.dataset.key)}`, { method: "GET" });
    } catch (e) {
      st.loaded = false;
      box.replaceChildren();
      return;
    }
    const { response, data } = result;
    if (!response.ok || !data.available) {
      box.replaceChildren(el("span", { class: "muted" }, data.available === false ? T.no_tm : ""));
      return;
    }
    st.matches = data.matches;
    const sentences = data.sentences || [];
    if (!data.matches.length && !sentences.length) {
      box.replaceChildren(el("span", { class: "muted" }, T.no_matches));
      return;
    }
    const list = el("ul");
    data.matches.forEach((m, i) => {
      const use = el("button", { type: "button", title: `Alt+${i + 1}` }, `${T.use} ${i + 1}`);
      use.addEventListener("click", () => useSuggestion(seg, i));
      list.append(
        el(
          "li",
          {},
          el("span", { class: "score" }, `${m.score}%`),
          use,
          el("span", { class: "target", lang: editorOf(seg).lang }, m.target),
          el("span", { class: "from", html: m.diff_html }),
          m.origin ? el("span", { class: "from" }, ` · ${m.origin}`) : null,
        ),
      );
    });
    const parts = [list];
    if (sentences.length) {
      // A sentence the memory knows, in a paragraph it does not: insert it where the cursor is.
      const bySentence = el("ul", { class: "by-sentence" });
      for (const m of sentences) {
        const insert = el("button", { type: "button" }, T.insert);
        insert.addEventListener("click", () => insertText(seg, m.target));
        bySentence.append(
          el(
            "li",
            {},
            el("span", { class: "score" }, `${m.score}%`),
            insert,
            el("span", { class: "from" }, format(T.sentence_n, { n: m.sentence })),
            el("span", { class: "target", lang: editorOf(seg).lang }, m.target),
            m.origin ? el("span", { class: "from" }, ` · ${m.origin}`) : null,
          ),
        );
      }
      parts.push(el("strong", {}, T.by_sentence), bySentence);
    }
    box.replaceChildren(...parts);
  }

  function insertText(seg, text) {
    const ed = editorOf(seg);
    if (ed.readOnly) return;
    const at = ed.selectionStart ?? ed.value.length;
    const before = ed.value.slice(0, at);
    const gap = before && !/\s$/.test(before) ? " " : "";
    ed.value = before + gap + text + ed.value.slice(ed.selectionEnd ?? at);
    markDirty(seg);
    scheduleCheck(seg);
    ed.focus();
  }

  function useSuggestion(seg, index) {
    const st = info.get(seg);
    const m = st.matches[index];
    if (!m || editorOf(seg).readOnly) return;
    const ed = editorOf(seg);
    ed.value = m.target;
    markDirty(seg);
    scheduleCheck(seg);
    ed.focus();
  }

  // A machine draft: the cache answers a request already paid for; "ask again" goes past it.
  async function machineDraft(seg, fresh) {
    if (editorOf(seg).readOnly) return;
    setStatus(seg, T.drafting);
    const data = await postSegment(seg, root.dataset.draft, { key: seg.dataset.key, fresh: Boolean(fresh) });
    if (!data) return;
    const ed = editorOf(seg);
    ed.value = data.text;
    markDirty(seg);
    scheduleCheck(seg);
    setStatus(seg, T.drafted);
    const again = seg.querySelector("button[data-action=machine-again]");
    if (again) again.hidden = false;
    ed.focus();
  }

  function copySource(seg) {
    const ed = editorOf(seg);
    if (ed.readOnly) return;
    ed.value = seg.querySelector(".source").textContent;
    markDirty(seg);
    scheduleCheck(seg);
    ed.focus();
  }

  async function loadHistory(seg, force) {
    const box = seg.querySelector(".history");
    if (!box.hidden && !force) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    box.replaceChildren(el("span", { class: "muted" }, T.loading));
    let result;
    try {
      result = await send(`${root.dataset.history}?key=${encodeURIComponent(seg.dataset.key)}`, { method: "GET" });
    } catch (e) {
      box.replaceChildren(el("span", { class: "status error" }, T.offline));
      return;
    }
    const { response, data } = result;
    if (!response.ok) {
      box.replaceChildren(el("span", { class: "status error" }, data.error || String(response.status)));
      return;
    }
    if (!data.versions.length) {
      box.replaceChildren(el("strong", {}, T.history), " ", el("span", { class: "muted" }, T.no_history));
      return;
    }
    const list = el("ol");
    for (const v of data.versions) {
      const restore = el("button", { type: "button" }, T.restore);
      restore.addEventListener("click", () => {
        editorOf(seg).value = v.text;
        save(seg, "restore", v.text);
      });
      list.append(
        el(
          "li",
          { "data-id": v.id },
          el(
            "div",
            { class: "who" },
            `${v.at} · ${v.user} · ${T.actions[v.action] || v.action} · ${T.states[v.state] || v.state}`,
            v.earlier_source ? ` ${T.earlier_source}` : "",
          ),
          v.note ? el("div", { class: "note" }, v.note) : null,
          el("div", { class: "text", lang: editorOf(seg).lang }, v.text),
          v.old_text ? el("div", { class: "diff muted", html: v.diff_html }) : null,
          restore,
        ),
      );
    }
    box.replaceChildren(el("strong", {}, T.history), list);
  }

  // Comments: threads of questions and notes under each segment.
  const threads = JSON.parse(document.getElementById("threads").textContent);

  function renderThreads(seg, list) {
    const box = seg.querySelector(".comments");
    const parts = [];
    for (const t of list) {
      const items = el("ol", { class: "thread-comments" });
      for (const c of t.comments) {
        items.append(el("li", {}, el("span", { class: "who muted" }, `${c.user} · ${c.at}`), " ", el("span", { class: "text" }, c.text)));
      }
      const head = el(
        "div",
        { class: "thread-head" },
        el("strong", {}, T.comment_kinds[t.kind] || t.kind),
        t.open ? el("span", { class: "badge open-question" }, T.open_question) : null,
        t.resolved_by ? el("span", { class: "muted" }, format(T.resolved, { user: t.resolved_by, at: t.resolved_at })) : null,
      );
      const reply = el("textarea", { class: "reply-text", rows: "1", placeholder: T.reply_placeholder, "aria-label": T.reply });
      const replyButton = el("button", { type: "button", "data-thread": t.id, "data-comment": "reply" }, T.reply);
      const resolve = t.can_resolve ? el("button", { type: "button", "data-thread": t.id, "data-comment": "resolve", "data-resolved": t.resolved_by ? "false" : "true" }, t.resolved_by ? T.reopen : T.resolve) : null;
      parts.push(el("div", { class: `thread ${t.open ? "open" : ""}`, "data-thread": t.id }, head, items, el("div", { class: "thread-reply" }, reply, replyButton, resolve)));
    }
    box.replaceChildren(...parts);
    seg.classList.toggle("has-question", list.some((t) => t.open));
  }

  function showCommentForm(seg) {
    const box = seg.querySelector(".comments");
    let form = box.querySelector(".new-comment");
    if (!form) {
      const kind = el("select", { class: "comment-kind", "aria-label": T.comment_kinds.question });
      for (const [value, label] of Object.entries(T.comment_kinds)) kind.append(el("option", { value }, label));
      form = el(
        "div",
        { class: "new-comment" },
        kind,
        el("textarea", { class: "comment-text", rows: "2", placeholder: T.comment_placeholder, "aria-label": T.comment_placeholder }),
        el("button", { type: "button", "data-comment": "post" }, T.comment_post),
        el("button", { type: "button", "data-comment": "cancel" }, T.cancel),
      );
      box.append(form);
    }
    form.querySelector(".comment-text").focus();
  }

  async function commentAction(seg, button) {
    const what = button.dataset.comment;
    if (what === "cancel") {
      button.closest(".new-comment").remove();
      return;
    }
    let url = root.dataset.comments;
    let body = { key: seg.dataset.key };
    if (what === "post") {
      const form = button.closest(".new-comment");
      body = { ...body, kind: form.querySelector(".comment-kind").value, text: form.querySelector(".comment-text").value };
    } else if (what === "reply") {
      body = { parent: Number(button.dataset.thread), text: button.closest(".thread").querySelector(".reply-text").value };
    } else {
      url = root.dataset.resolve.replace(/\/0\/resolve$/, `/${button.dataset.thread}/resolve`);
      body = { resolved: button.dataset.resolved === "true" };
    }
    const data = await postSegment(seg, url, body);
    if (!data) return;
    setStatus(seg, "");
    renderThreads(seg, data.threads);
  }

  for (const seg of segs) {
    if (threads.segments[seg.dataset.key]) renderThreads(seg, threads.segments[seg.dataset.key]);
  }
  const orphans = document.getElementById("orphans"); // threads whose block was removed
  if (orphans) renderThreads(orphans, threads.orphans);

  function segmentOf(node) {
    return node && node.closest ? node.closest("li.seg") : null;
  }

  document.addEventListener("focusin", (event) => {
    const seg = segmentOf(event.target);
    if (!seg || seg === current) return;
    if (current) current.classList.remove("current");
    current = seg;
    seg.classList.add("current");
    loadSuggestions(seg);
  });

  document.addEventListener("input", (event) => {
    const seg = segmentOf(event.target);
    if (!seg || !event.target.matches("textarea.editor")) return;
    markDirty(seg);
    updateBulk();
    scheduleCheck(seg);
    schedulePreview();
  });

  document.addEventListener("click", (event) => {
    const commentButton = event.target.closest("button[data-comment]");
    const holder = commentButton && commentButton.closest("li.seg, #orphans");
    if (holder) {
      commentAction(holder, commentButton);
      return;
    }
    const button = event.target.closest("button[data-action]");
    const seg = segmentOf(button);
    if (!button || !seg) return;
    const action = button.dataset.action;
    if (action === "dismiss") showDismiss(seg, button.closest("li"));
    else if (action === "copy") copySource(seg);
    else if (action === "comment") showCommentForm(seg);
    else if (action === "term") insertText(seg, button.dataset.term);
    else if (action === "history") loadHistory(seg, false);
    else if (action === "machine") machineDraft(seg, false);
    else if (action === "machine-again") machineDraft(seg, true);
    else save(seg, action);
  });

  document.addEventListener("keydown", async (event) => {
    const seg = segmentOf(document.activeElement) || current;
    const ctrl = event.ctrlKey || event.metaKey;
    const inComment = document.activeElement && document.activeElement.matches(".comment-text, .reply-text");
    if (inComment) {
      if (ctrl && event.key === "Enter") {
        event.preventDefault();
        const form = document.activeElement.closest(".new-comment, .thread");
        const button = form.querySelector("button[data-comment=post], button[data-comment=reply]");
        const holder = document.activeElement.closest("li.seg, #orphans");
        if (holder && button) commentAction(holder, button);
      }
      return; // the segment's shortcuts do not act on a comment being written
    }
    if (ctrl && event.key === "Enter") {
      event.preventDefault();
      if (!seg) return;
      info.get(seg).then = () => move(1, false);
      if (await save(seg, canApprove ? "approve" : "save")) move(1, false);
    } else if (ctrl && !event.shiftKey && event.code === "KeyS") {
      event.preventDefault();
      if (seg) save(seg, "save");
    } else if (ctrl && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1, event.shiftKey);
    } else if (ctrl && !event.shiftKey && event.code === "KeyB") {
      event.preventDefault();
      if (seg) copySource(seg);
    } else if (event.altKey && !ctrl && event.code === "KeyM" && event.key.toLowerCase() === "m") {
      event.preventDefault();
      if (seg && seg.querySelector("button[data-action=machine]")) machineDraft(seg, false);
    } else if (event.altKey && !ctrl && event.code === "KeyC" && event.key.toLowerCase() === "c") {
      event.preventDefault();
      if (seg) showCommentForm(seg);
    } else if (event.altKey && !ctrl && /^Digit[1-5]$/.test(event.code)) {
      event.preventDefault();
      if (seg) useSuggestion(seg, Number(event.code.slice(5)) - 1);
    } else if (event.key === "Escape" && seg && seg.classList.contains("dirty")) {
      event.preventDefault();
      editorOf(seg).value = info.get(seg).base.text;
      markDirty(seg);
      scheduleCheck(seg);
    }
  });

  window.addEventListener("beforeunload", (event) => {
    if (document.querySelector("li.seg.dirty")) {
      event.preventDefault();
      event.returnValue = T.unsaved;
    }
  });

  // A link to one segment (from the search, the dashboard's questions) opens it.
  const linked = location.hash.startsWith("#seg-") ? document.getElementById(location.hash.slice(1)) : null;
  if (linked) window.addEventListener("load", () => setTimeout(() => focusSegment(linked), 0)); // after the browser's own jump to the fragment
  const first = linked || segs.find((s) => s.dataset.state !== "approved") || segs[0];
  if (first) {
    const ed = editorOf(first);
    ed.focus({ preventScroll: segs.indexOf(first) === 0 });
    if (segs.indexOf(first) > 0) first.scrollIntoView({ block: "center" });
  }
})();
