-- module used by stdlib/require.lua: raises an error while loading
error("module failed to load")
