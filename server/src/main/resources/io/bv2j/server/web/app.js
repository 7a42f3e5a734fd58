"use strict";

// The page for `bv2j serve`: picks a voice from /voices, asks GET /?text=… for a WAV and plays it.

const $ = (id) => document.getElementById(id);
const form = $("form");
const text = $("text");
const voiceSelect = $("voice");
const speakerSelect = $("speaker");
const languageSelect = $("language");
const speakButton = $("speak");
const statusLine = $("status");
const player = $("player");
const download = $("download");
const KNOBS = ["sdp_ratio", "noise", "noisew", "length"];

let voices = [];
let audioUrl = null;
let requesting = false;

function setState(state, message) {
  document.body.dataset.state = state;
  if (message !== undefined) {
    statusLine.textContent = message;
  }
}

function fillSelect(select, values, preferred) {
  select.replaceChildren(...values.map((value) => new Option(value, value)));
  if (values.includes(preferred)) {
    select.value = preferred;
  }
}

function showVoice(voice) {
  fillSelect(speakerSelect, voice ? voice.speakers : [], speakerSelect.value);
  // Keep the chosen language when the new voice has it; otherwise the server's default, auto.
  const previous = languageSelect.value || "auto";
  const languages = voice ? voice.languages : [];
  fillSelect(languageSelect, languages, languages.includes(previous) ? previous : "auto");
}

async function loadVoices() {
  try {
    const response = await fetch("/voices");
    if (!response.ok) {
      throw new Error(await errorMessage(response));
    }
    voices = (await response.json()).voices;
    const preselected = voices.find((v) => v.default) || voices[0];
    fillSelect(voiceSelect, voices.map((v) => v.name), preselected && preselected.name);
    showVoice(preselected);
    setState("idle", voices.length ? "Ready." : "The server has no voices.");
  } catch (e) {
    setState("error", "Could not load the voices: " + e.message);
  } finally {
    // Without the list the server's default voice still speaks.
    speakButton.disabled = false;
  }
}

// The server answers errors as {"error":{"message":…}}; anything else (a proxy's HTML page) gets
// the HTTP status instead, so the user always sees some reason.
async function errorMessage(response) {
  let message = "HTTP " + response.status;
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) {
      message = body.error.message;
    }
  } catch (_) {
    // not JSON: keep the status line
  }
  if (response.status === 429) {
    const retry = response.headers.get("Retry-After");
    message += retry ? " (try again in " + retry + " s)" : " (try again shortly)";
  }
  return message;
}

function requestUrl() {
  const params = new URLSearchParams({ text: text.value });
  for (const [name, select] of [["voice", voiceSelect], ["speaker", speakerSelect], ["language", languageSelect]]) {
    if (select.value) {
      params.set(name, select.value);
    }
  }
  for (const knob of KNOBS) {
    params.set(knob, $(knob).value);
  }
  params.set("format", "wav");
  return "/?" + params;
}

function showAudio(blob, started) {
  if (audioUrl) {
    URL.revokeObjectURL(audioUrl);
  }
  audioUrl = URL.createObjectURL(blob);
  download.href = audioUrl;
  download.hidden = false;
  // The duration is known once the player has parsed the WAV header.
  player.addEventListener("loadedmetadata", () => {
    const took = (performance.now() - started) / 1000;
    statusLine.textContent = player.duration.toFixed(1) + " s of audio in " + took.toFixed(1) + " s";
  }, { once: true });
  player.src = audioUrl;
  player.play().catch((e) => {
    // A browser that refuses autoplay still leaves the controls and the download working.
    if (e.name === "NotAllowedError") {
      setState("idle", "Audio ready: press play.");
    } else {
      setState("error", "Cannot play the audio: " + e.message);
    }
  });
}

async function speak() {
  if (requesting) {
    return;
  }
  requesting = true;
  speakButton.disabled = true;
  setState("busy", "Synthesizing…");
  const started = performance.now();
  try {
    const response = await fetch(requestUrl());
    if (!response.ok) {
      setState("error", await errorMessage(response));
      return;
    }
    // Stay busy until the player reports "playing"; showAudio's failure paths set their own state.
    showAudio(await response.blob(), started);
  } catch (e) {
    setState("error", "Request failed: " + e.message);
  } finally {
    requesting = false;
    speakButton.disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  speak();
});
text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    form.requestSubmit();
  }
});
voiceSelect.addEventListener("change", () => showVoice(voices.find((v) => v.name === voiceSelect.value)));
player.addEventListener("playing", () => setState("playing"));
for (const stop of ["pause", "ended"]) {
  player.addEventListener(stop, () => {
    if (document.body.dataset.state === "playing") {
      setState("idle");
    }
  });
}

loadVoices();
