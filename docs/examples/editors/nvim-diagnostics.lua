-- Open a Python file in headless Neovim with boundary-lint's language server attached, wait
-- for its diagnostics, print them (one "line:col code message" a line) and quit: 0 if some came.
--
--   cd examples/trove-split
--   nvim --headless --clean -c "luafile ../../docs/examples/editors/nvim-diagnostics.lua" troveguest/api.py
--
-- vim.lsp.start_client + buf_attach_client work from Neovim 0.7 (vim.lsp.start is 0.8+).
-- BOUNDARY_LINT: the server command, default "boundary-lint" (then "lsp").
local command = vim.env.BOUNDARY_LINT or "boundary-lint"
local client = vim.lsp.start_client({
  name = "boundary-lint",
  cmd = { command, "lsp" },
  root_dir = vim.fn.getcwd(),
})
if not client then
  io.stdout:write("could not start " .. command .. "\n")
  vim.cmd("cquit 2")
end
vim.lsp.buf_attach_client(0, client)
local got = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 100)
for _, d in ipairs(vim.diagnostic.get(0)) do
  io.stdout:write(string.format("%d:%d %s %s\n", d.lnum + 1, d.col + 1, tostring(d.code), d.message))
end
if got then vim.cmd("qall!") else vim.cmd("cquit 1") end
