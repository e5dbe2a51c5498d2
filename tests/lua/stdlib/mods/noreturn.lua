-- module used by stdlib/require.lua: returns nothing, sets a global
noreturn_loaded = true
