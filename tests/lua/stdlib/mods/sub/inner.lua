-- module used by stdlib/require.lua: loaded as "sub.inner"
return {which = "sub.inner", arg = ...}
