// 复制 button: copies the text the app passes (args.text) to the clipboard. A Streamlit component (v1
// protocol): the page sends "streamlit:render" with the arguments; this frame answers with its height.
// Served from the app's own origin as a file, so the strict CSP (script-src 'self') allows it; the frame is
// allowed clipboard-write by Streamlit. Without a secure context (plain http on a LAN address)
// navigator.clipboard is missing and the selection is copied with execCommand instead.
(function () {
  "use strict";
  var text = "";
  var done = "已复制";
  var button = document.getElementById("copy");
  var status = document.getElementById("status");

  function send(type, data) {
    var message = { isStreamlitMessage: true, type: type };
    for (var k in data) { message[k] = data[k]; }
    window.parent.postMessage(message, "*");
  }

  function fallback() {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function report(ok) {
    status.className = ok ? "" : "failed";
    status.textContent = ok ? done : "无法访问剪贴板，请选中文字后按 Ctrl+C 复制";
    if (ok) { setTimeout(function () { status.textContent = ""; }, 4000); }
  }

  button.addEventListener("click", function () {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { report(true); },
                                               function () { report(fallback()); });
    } else {
      report(fallback());
    }
  });

  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "streamlit:render") { return; }
    var args = data.args || {};
    text = String(args.text || "");
    button.textContent = args.label || "复制";
    button.title = args.help || "";
    done = args.done || "已复制";
    send("streamlit:setFrameHeight", { height: 44 });
  });

  send("streamlit:componentReady", { apiVersion: 1 });
})();
