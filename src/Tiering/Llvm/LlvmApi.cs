// The raw LLVM 19 C API, declared by hand from the llvm-c headers.
//
// LlvmApi is split by header: LlvmApi.Core.cs (llvm-c/Core.h), LlvmApi.Target.cs
// (Target.h, TargetMachine.h, Analysis.h, Transforms/PassBuilder.h), LlvmApi.Orc.cs
// (Orc.h, LLJIT.h, Error.h). Each function keeps its C name and C parameter names, so a
// header is the documentation, and the layer could be swapped for LLVMSharp.Interop.
//
// Type mapping, everywhere:
//   LLVM*Ref handles          nint
//   LLVMBool                  int (0 = false; careful: several functions return 1 on *failure*)
//   unsigned / uint64_t       uint / ulong;  size_t  nuint
//   const char * (input)      string, marshalled as UTF-8 (NUL-terminated)
//   char * (output, owned)    byte*: free with LLVMDisposeMessage (or LLVMDisposeErrorMessage
//                             for LLVMGetErrorMessage); LlvmText converts and frees
//   T *Array, unsigned Count  nint* and a count: callers pin or stackalloc
//
// Nothing here loads libLLVM: the static constructor only installs the resolver, which hands
// out the library that LlvmLibrary.TryLoad loaded and refuses every call before that.

using System.Runtime.InteropServices;

namespace Tiered.Tiering.Llvm;

internal static unsafe partial class LlvmApi
{
    /// <summary>The library name every declaration binds to; LlvmLibrary's resolver maps it to libLLVM 19.</summary>
    internal const string LibraryName = "LLVM";

    // An explicit static constructor (no beforefieldinit) runs before the first call of any
    // method here, i.e. before the runtime resolves LibraryName for the first time.
    static LlvmApi() => LlvmLibrary.InstallResolver();
}

/// <summary>Converts LLVM-owned C strings to .NET strings and frees them.</summary>
internal static unsafe class LlvmText
{
    /// <summary>Reads a message that LLVM allocated and frees it with LLVMDisposeMessage. Null gives "".</summary>
    public static string TakeMessage(byte* message)
    {
        if (message == null)
        {
            return "";
        }
        string text = Marshal.PtrToStringUTF8((nint)message) ?? "";
        LlvmApi.LLVMDisposeMessage(message);
        return text;
    }

    /// <summary>Reads a string that LLVM still owns (a const char * result). Null gives "".</summary>
    public static string Borrowed(byte* text) => text == null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";

    /// <summary>
    /// Consumes an LLVMErrorRef and returns its message, or null when <paramref name="error"/> is 0
    /// (LLVMErrorSuccess). The error must not be used afterwards.
    /// </summary>
    public static string? TakeError(nint error)
    {
        if (error == 0)
        {
            return null;
        }
        byte* message = LlvmApi.LLVMGetErrorMessage(error); // consumes the error
        string text = Marshal.PtrToStringUTF8((nint)message) ?? "";
        LlvmApi.LLVMDisposeErrorMessage(message);
        return text;
    }

    /// <summary>Throws an LlvmException for a failed LLVMErrorRef; does nothing for success.</summary>
    public static void ThrowIfError(nint error, string operation)
    {
        string? message = TakeError(error);
        if (message != null)
        {
            throw new LlvmException($"{operation}: {message}");
        }
    }
}

/// <summary>An LLVM operation failed; the message carries LLVM's own text.</summary>
internal sealed class LlvmException(string message) : Exception(message);
