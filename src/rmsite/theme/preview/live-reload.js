/* rmsite serve: live reload (not in built sites) */
(function () {
  var seen = null, source = new EventSource("%s");
  function overlay(problems) {
    var box = document.getElementById("rmsite-overlay");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div"); box.id = "rmsite-overlay"; box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:70vh;overflow:auto;z-index:99999;" +
        "background:#2b0d0e;color:#ffdede;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-bottom:4px solid #ff6b6b;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last change did not build; showing the last good site.\n\n" + problems.join("\n");
  }
  /* the warnings the reader dismissed, kept across reloads: shown again only when they change */
  function hidden() { try { return sessionStorage.getItem("rmsite-warnings-hidden"); } catch (e) { return null; } }
  function notes(warnings) {
    /* the last good build's warnings: a small panel in a corner, never in the way */
    var box = document.getElementById("rmsite-warnings"), key = JSON.stringify(warnings);
    if (!warnings.length || key === hidden()) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("details"); box.id = "rmsite-warnings"; box.setAttribute("role", "status");
      box.style.cssText = "position:fixed;right:.5rem;bottom:.5rem;max-width:min(48rem,calc(100vw - 1rem));" +
        "max-height:50vh;overflow:auto;z-index:99998;background:#2b230d;color:#fff3d6;" +
        "font:13px/1.5 ui-monospace,monospace;padding:.4rem .75rem;border:2px solid #f0c060;border-radius:.4rem";
      box.appendChild(document.createElement("summary"));
      var close = box.appendChild(document.createElement("button"));
      close.type = "button"; close.textContent = "Hide until they change";
      close.style.cssText = "font:inherit;margin:.4rem 0 0;padding:.1rem .5rem;cursor:pointer";
      close.addEventListener("click", function () {
        try { sessionStorage.setItem("rmsite-warnings-hidden", box.dataset.key); } catch (e) { /* private mode */ }
        box.remove();
      });
      box.appendChild(document.createElement("pre")).style.cssText = "white-space:pre-wrap;margin:.5rem 0 0";
      document.body.appendChild(box);
    }
    box.dataset.key = key;
    box.querySelector("summary").textContent = warnings.length + (warnings.length === 1 ? " warning" : " warnings") +
      " (the site is built; rmsite build --strict would fail)";
    box.querySelector("pre").textContent = warnings.join("\n");
  }
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    overlay(state.problems);
    notes(state.warnings || []);
    if (state.problems.length) return;
    if (seen !== null && state.generation !== seen) {
      if (state.css_only) {
        document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
          var url = new URL(link.href); url.searchParams.set("rmsite", state.generation); link.href = url.href;
        });
      } else { location.reload(); return; }
    }
    seen = state.generation;
  };
})();
