using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Syntax;

namespace Tiered.Interpreter.Compiler;

/// <summary>
/// Compiles Lua 5.4 source to bytecode prototypes (<see cref="FunctionProto"/>), with the
/// register allocation, constant folding and instruction selection of the reference
/// compiler adapted to Tiered's instruction set (see OpCode.cs).
/// </summary>
public static class LuaCompiler
{
    /// <summary>
    /// Parses and compiles a chunk. <paramref name="chunkSource"/> is Lua's source name
    /// ("@file.lua", "=stdin", or the code itself for load) and is stored in every prototype.
    /// </summary>
    /// <exception cref="LuaSyntaxException">On a syntax or compile error ("chunk:line: message").</exception>
    public static FunctionProto Compile(byte[] source, string chunkSource, bool skipShebang = false) =>
        Compile(Parser.Parse(source, chunkSource, skipShebang));

    /// <summary>Compiles an already parsed chunk.</summary>
    public static FunctionProto Compile(Chunk chunk) => ChunkCompiler.Compile(chunk);
}
