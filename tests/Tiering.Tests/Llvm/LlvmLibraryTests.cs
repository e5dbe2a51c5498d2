using Tiered.Tiering.Llvm;
using Xunit;

namespace Tiered.Tiering.Tests.Llvm;

[Collection(LlvmCollection.Name)]
public class LlvmLibraryTests
{
    [Fact]
    public void LoadsLlvm19()
    {
        TestModules.RequireLlvm();
        Assert.True(LlvmLibrary.IsLoaded);
        Assert.StartsWith("19.", LlvmLibrary.VersionString);
    }

    [Fact]
    public void BogusPathGivesTheInstallHint()
    {
        const string bogus = "/nonexistent/tiered-test/libLLVM.so.19.1";
        LlvmLibrary.LibraryPathOverride = bogus;
        try
        {
            Assert.False(LlvmLibrary.TryLoad(out string error));
            Assert.StartsWith("libLLVM 19 not found (install the Debian package libllvm19): ", error);
            Assert.Contains(bogus, error);

            // The failure is remembered, with the same message.
            Assert.False(LlvmLibrary.TryLoad(out string again));
            Assert.Equal(error, again);
        }
        finally
        {
            LlvmLibrary.LibraryPathOverride = null;
        }
        // The default location still works afterwards.
        TestModules.RequireLlvm();
    }
}
