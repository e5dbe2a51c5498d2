-- module used by stdlib/require.lua: has a syntax error
return {
