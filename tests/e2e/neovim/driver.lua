-- Drives Neovim 0.7 (headless) like a person would, with leery attached by the user's init.lua
-- (the snippet from docs/editors.md): read the diagnostics, hover, ask for code actions, apply
-- the quick fix, save, and check the finding goes. Observations go to $LEERY_E2E_OUT as JSON.

local out_path = assert(os.getenv("LEERY_E2E_OUT"), "LEERY_E2E_OUT not set")
local target_code = os.getenv("LEERY_E2E_CODE") or "LY101"
local obs = { steps = {} }

local function save_observations()
  local f = assert(io.open(out_path, "w"))
  f:write(vim.fn.json_encode(obs))
  f:close()
end

local function step(name)
  table.insert(obs.steps, name)
  save_observations()
end

local function diagnostics(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local lsp = (d.user_data and d.user_data.lsp) or {}
    table.insert(found, {
      code = d.code or lsp.code,
      line = d.lnum,
      col = d.col,
      end_col = d.end_col,
      message = d.message,
      source = d.source or lsp.source,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
    })
  end
  table.sort(found, function(a, b) return a.line < b.line end)
  return found
end

local function of_code(list, code)
  local out = {}
  for _, d in ipairs(list) do
    if d.code == code then table.insert(out, d) end
  end
  return out
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  -- The FileType autocmd of the user's config attached the client.
  local client
  assert(vim.wait(20000, function()
    client = vim.lsp.get_active_clients()[1]
    return client ~= nil and client.initialized == true
  end, 50), "leery did not start")
  obs.client = { name = client.name, offset_encoding = client.offset_encoding }
  step("started")

  assert(vim.wait(60000, function() return #of_code(diagnostics(bufnr), target_code) > 0 end, 50),
    "no " .. target_code .. " diagnostics arrived")
  obs.initial = diagnostics(bufnr)
  step("diagnostics")

  local first = of_code(obs.initial, target_code)[1]
  vim.api.nvim_win_set_cursor(0, { first.line + 1, first.col })
  local hover = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", vim.lsp.util.make_position_params(), 10000)
  for _, response in pairs(hover or {}) do
    if response.result and response.result.contents then
      obs.hover = response.result.contents.value or response.result.contents
    end
  end
  step("hover")

  local params = {
    textDocument = vim.lsp.util.make_text_document_params(),
    range = { start = { line = first.line, character = 0 }, ["end"] = { line = first.line, character = 0 } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, first.line) },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 10000)
  obs.actions = {}
  local fix
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(obs.actions, action.title)
      if fix == nil and action.edit and action.title:find("^leery %(" .. target_code .. "%)") then
        fix = action
      end
    end
  end
  step("actions")
  assert(fix, "no quick fix for " .. target_code)

  local before = #of_code(obs.initial, target_code)
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  obs.applied = fix.title
  assert(vim.wait(30000, function()
    local now = of_code(diagnostics(bufnr), target_code)
    if #now ~= before - 1 then return false end
    for _, d in ipairs(now) do
      if d.line == first.line then return false end
    end
    return true
  end, 50), "the finding did not go after the fix")
  obs.after_fix = diagnostics(bufnr)
  step("fixed")

  vim.cmd("silent write")
  obs.saved = table.concat(vim.fn.readfile(vim.api.nvim_buf_get_name(bufnr)), "\n")
  obs.after_save = diagnostics(bufnr)
  step("saved")
end

local ok, err = pcall(run)
if not ok then
  obs.error = tostring(err)
  save_observations()
  vim.cmd("cquit! 1")
else
  obs.ok = true
  save_observations()
  vim.cmd("qall!")
end
