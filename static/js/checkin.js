// The door page's camera: read a badge's QR code with the browser's BarcodeDetector (no app to
// install) and post the token it holds. Where the browser has no BarcodeDetector, or the camera
// is refused, the button explains and the search box stays the way to check delegates in.
"use strict";
(function () {
  const button = document.getElementById("scan-button");
  if (!button) {
    return;
  }
  const help = document.getElementById("scan-help");
  const box = document.getElementById("scanner");
  const video = box.querySelector("video");
  const stopButton = document.getElementById("scan-stop");
  const result = document.getElementById("scan-result");
  const form = document.getElementById("scan-form");
  const REPEAT_MS = 4000; // the same badge held in front of the camera is sent once per 4 s
  const STYLES = { checked_in: "success", already: "warning", unknown: "danger", error: "danger" };
  let stream = null;
  let timer = null;
  let busy = false;
  let lastToken = "";
  let lastAt = 0;

  function explain(text) {
    if (text) {
      help.textContent = text;
    }
    help.hidden = false;
    const search = document.getElementById("checkin-q");
    if (search) {
      search.focus();
    }
  }

  function show(status, text) {
    const alert = document.createElement("div");
    alert.className = "alert fs-5 scan-" + status + " alert-" + (STYLES[status] || "info");
    alert.setAttribute("role", "status");
    alert.textContent = text;
    result.replaceChildren(alert);
  }

  function updateCount(answer) {
    if (answer.present === undefined) {
      return;
    }
    const count = document.getElementById("checkin-count");
    const present = count && count.querySelector("[data-present]");
    const total = count && count.querySelector("[data-total]");
    if (present) {
      present.textContent = Number(answer.present).toLocaleString("vi-VN");
    }
    if (total) {
      total.textContent = Number(answer.total).toLocaleString("vi-VN");
    }
  }

  async function send(token) {
    const data = new FormData(form);
    data.set("token", token);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const answer = await response.json();
      show(answer.status, answer.message);
      updateCount(answer);
      if (navigator.vibrate) {
        navigator.vibrate(answer.status === "checked_in" ? 120 : [80, 60, 80]);
      }
    } catch (error) {
      show("error", button.dataset.failed);
    }
  }

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
    }
    stream = null;
    clearTimeout(timer);
    box.hidden = true;
    button.hidden = false;
  }

  async function start() {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      explain();
      return;
    }
    let detector;
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) {
        throw new Error("no qr_code");
      }
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      explain();
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      explain(button.dataset.denied);
      return;
    }
    video.srcObject = stream;
    box.hidden = false;
    button.hidden = true;
    await video.play();
    const tick = async function () {
      if (!stream) {
        return;
      }
      if (!busy && video.readyState >= 2) {
        try {
          const codes = await detector.detect(video);
          const token = codes.length ? codes[0].rawValue : "";
          const now = Date.now();
          if (token && !(token === lastToken && now - lastAt < REPEAT_MS)) {
            lastToken = token;
            lastAt = now;
            busy = true;
            await send(token);
            busy = false;
          }
        } catch (error) {
          busy = false;
        }
      }
      timer = setTimeout(tick, 250);
    };
    tick();
  }

  button.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);
})();
