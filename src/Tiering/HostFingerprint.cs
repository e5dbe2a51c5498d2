using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;
using Tiered.NativeCache;
using Tiered.Tiering.Llvm;

namespace Tiered.Tiering;

/// <summary>
/// What the native cache header says about this machine, worked out without loading LLVM, so
/// that a run whose hot functions are all cached links them and never loads libLLVM.
/// The CPU is identified by CPUID (vendor, family/model/stepping and the feature leaves that
/// LLVM's host detection reads too), LLVM by the library file a compilation would load (its
/// path, size and modification time: an upgraded package is another LLVM).
/// </summary>
internal static class HostFingerprint
{
    /// <summary>The target code is compiled for: architecture and OS.</summary>
    public static string Triple { get; } =
        $"{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}-{(OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription)}";

    /// <summary>"AuthenticAMD 25.1.1": vendor and family.model.stepping from CPUID.</summary>
    public static string CpuName { get; } = ReadCpuName();

    /// <summary>A hash of the CPUID feature words (leaves 1, 7 and 0x80000001).</summary>
    public static string CpuFeatureHash { get; } = ReadCpuFeatureHash();

    /// <summary>The libLLVM file a compilation would load (path, size, mtime), or "absent".</summary>
    public static string LlvmIdentity
    {
        get
        {
            string path = LlvmLibrary.CandidatePath;
            try
            {
                var file = new FileInfo(path);
                FileSystemInfo target = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
                if (!target.Exists) return "absent: " + path;
                return $"{target.FullName}:{((FileInfo)target).Length}:{target.LastWriteTimeUtc.Ticks}";
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                return "unreadable: " + path;
            }
        }
    }

    private static string ReadCpuName()
    {
        if (!X86Base.IsSupported) return RuntimeInformation.ProcessArchitecture.ToString();
        (int _, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        string vendor = Encoding.ASCII.GetString(BitConverter.GetBytes(ebx).Concat(BitConverter.GetBytes(edx)).Concat(BitConverter.GetBytes(ecx)).ToArray());
        int eax = X86Base.CpuId(1, 0).Eax;
        int family = (eax >> 8) & 0xF, model = (eax >> 4) & 0xF, stepping = eax & 0xF;
        if (family == 0xF) family += (eax >> 20) & 0xFF;
        if (family >= 6) model += ((eax >> 16) & 0xF) << 4;
        return $"{vendor} {family}.{model}.{stepping}";
    }

    private static string ReadCpuFeatureHash()
    {
        if (!X86Base.IsSupported) return "";
        var words = new List<int>();
        void Leaf(int leaf, int sub)
        {
            (int a, int b, int c, int d) = X86Base.CpuId(leaf, sub);
            words.AddRange([a, b, c, d]);
        }
        int maxLeaf = X86Base.CpuId(0, 0).Eax;
        Leaf(1, 0);
        words[^4] &= 0x0FFF3FFF;           // leaf 1 EAX without the reserved bits
        words[^3] &= 0x0000FFFF;           // leaf 1 EBX: drop the APIC id and logical count (differ per core)
        if (maxLeaf >= 7) Leaf(7, 0);
        if ((uint)X86Base.CpuId(unchecked((int)0x80000000), 0).Eax >= 0x80000001) Leaf(unchecked((int)0x80000001), 0);
        byte[] bytes = words.SelectMany(BitConverter.GetBytes).ToArray();
        return Convert.ToHexString(Sha256.Hash(bytes))[..16].ToLowerInvariant();
    }
}
