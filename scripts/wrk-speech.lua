-- wrk request generator for the load test (scripts/serve-load.sh): OpenAI-style speech requests,
-- cycling through the demo corpus's first held-out sentences so that batches mix lengths, as real traffic does.
local texts = {
  "The green door opens to the garden.",
  "Please bring a blanket for the baby.",
  "My friend is waiting near the fountain.",
  "We bought fresh fish at the market.",
  "The old clock stopped at noon.",
  "Can you read the sign over there?",
  "He carried the boxes up the stairs.",
  "I like warm soup on rainy days.",
}
local next = 0

request = function()
  next = next % #texts + 1
  local body = '{"input": "' .. texts[next] .. '", "response_format": "pcm"}'
  return wrk.format("POST", "/v1/audio/speech", {["Content-Type"] = "application/json"}, body)
end
