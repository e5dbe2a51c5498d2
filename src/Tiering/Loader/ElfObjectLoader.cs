using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Tiered.Tiering.Loader;

/// <summary>
/// Links the relocatable x86-64 ELF objects that our LLVM pipeline emits into executable memory
/// of this process, without LLVM. A warm run loads its cached functions through it, so a run
/// that compiles nothing never loads libLLVM.
///
/// What our objects contain (checked, anything else is refused and the caller falls back to
/// LLVM's JIT linker): a .text section, read-only constant pools and jump tables (.rodata*),
/// an .eh_frame (not needed: no exception ever unwinds through native code, so it is not
/// loaded), and relocations of types PC32 and PLT32 (calls to the runtime helpers, references to
/// constants), plus 64-bit absolute and GOT-relative forms for robustness. Calls to external
/// symbols go through 16-byte stubs placed beside the code (jmp through an address slot), so the
/// helpers may live anywhere in the address space.
///
/// Memory is mapped read-write, filled and relocated, then made read-execute; it is never
/// unmapped (the functions may be running in any state of the process until it exits).
/// </summary>
public static unsafe partial class ElfObjectLoader
{
    private const int StubSize = 16;
    private const ushort SectionUndefined = 0, SectionAbsolute = 0xfff1;
    private const uint ShtProgbits = 1, ShtSymtab = 2, ShtRela = 4, ShtNobits = 8;
    private const ulong ShfWrite = 1, ShfAlloc = 2;
    private const uint RX8664_64 = 1, RX8664_PC32 = 2, RX8664_PLT32 = 4, RX8664_GOTPCREL = 9,
        RX8664_GOTPCRELX = 41, RX8664_REX_GOTPCRELX = 42;

    /// <summary>Links <paramref name="obj"/> and returns the address of its global function
    /// <paramref name="name"/>. External symbols are looked up in <paramref name="symbols"/>.
    /// Returns 0 with a reason when the object is not one this loader handles.</summary>
    public static nint Load(ReadOnlySpan<byte> obj, string name, IReadOnlyDictionary<string, nint> symbols, out string? error)
    {
        try
        {
            return LoadCore(obj, name, symbols, out error);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            error = "malformed object: " + ex.Message;
            return 0;
        }
    }

    private readonly record struct Section(uint Type, ulong Flags, long Offset, long Size, uint Link, uint Info, long Align, string Name);

    private static nint LoadCore(ReadOnlySpan<byte> obj, string name, IReadOnlyDictionary<string, nint> symbols, out string? error)
    {
        error = null;
        if (obj.Length < 64 || obj[0] != 0x7f || obj[1] != (byte)'E' || obj[2] != (byte)'L' || obj[3] != (byte)'F'
            || obj[4] != 2 || obj[5] != 1 || U16(obj, 16) != 1 || U16(obj, 18) != 62)
        {
            error = "not a little-endian x86-64 ELF relocatable object";
            return 0;
        }
        long shoff = checked((long)U64(obj, 0x28));
        int shentsize = U16(obj, 0x3A), shnum = U16(obj, 0x3C), shstrndx = U16(obj, 0x3E);
        if (shentsize != 64 || shnum == 0) { error = "unexpected section header table"; return 0; }

        var sections = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var h = obj.Slice(checked((int)(shoff + (long)i * 64)), 64);
            sections[i] = new Section(U32(h, 4), U64(h, 8), checked((long)U64(h, 24)), checked((long)U64(h, 32)),
                U32(h, 40), U32(h, 44), Math.Max(1, checked((long)U64(h, 48))), "");
        }
        Section names = sections[shstrndx];
        for (int i = 0; i < shnum; i++)
            sections[i] = sections[i] with { Name = CString(obj, names.Offset + U32(obj.Slice(checked((int)(shoff + (long)i * 64)), 4), 0)) };

        // Lay out the allocated sections (except unwind tables) in one mapping, stubs after.
        var placed = new long[shnum];
        Array.Fill(placed, -1);
        long size = 0;
        for (int i = 0; i < shnum; i++)
        {
            Section s = sections[i];
            if ((s.Flags & ShfAlloc) == 0 || s.Name == ".eh_frame") continue;
            if (s.Type != ShtProgbits && s.Type != ShtNobits) continue;
            if ((s.Flags & ShfWrite) != 0) { error = $"writable section {s.Name}"; return 0; }
            size = (size + s.Align - 1) / s.Align * s.Align;
            placed[i] = size;
            size += s.Size;
        }

        int symtab = Array.FindIndex(sections, s => s.Type == ShtSymtab);
        if (symtab < 0) { error = "no symbol table"; return 0; }
        Section symSection = sections[symtab];
        Section symNames = sections[symSection.Link];
        int symbolCount = checked((int)(symSection.Size / 24));

        // One stub (and address slot) per distinct external symbol that is referenced.
        var externals = new Dictionary<int, int>();   // symbol index -> stub number
        for (int i = 0; i < shnum; i++)
        {
            Section r = sections[i];
            if (r.Type != ShtRela || r.Info >= shnum || placed[r.Info] < 0) continue;
            for (long off = 0; off + 24 <= r.Size; off += 24)
            {
                int sym = (int)(U64(obj, r.Offset + off + 8) >> 32);
                if (sym != 0 && Symbol(obj, symSection, sym).Shndx == SectionUndefined && !externals.ContainsKey(sym))
                    externals[sym] = externals.Count;
            }
        }
        long stubs = (size + 15) / 16 * 16;
        long total = stubs + (long)externals.Count * StubSize;
        long pageSize = Environment.SystemPageSize;
        nuint mapped = (nuint)((total + pageSize - 1) / pageSize * pageSize);
        if (mapped == 0) mapped = (nuint)pageSize;

        byte* mem = (byte*)Mmap(null, mapped, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (mem == (byte*)-1 || mem == null) { error = "cannot map memory for code"; return 0; }
        bool keep = false;
        try
        {
            for (int i = 0; i < shnum; i++)
            {
                if (placed[i] < 0 || sections[i].Type == ShtNobits) continue;   // NOBITS: the mapping is zeroed
                obj.Slice(checked((int)sections[i].Offset), checked((int)sections[i].Size)).CopyTo(new Span<byte>(mem + placed[i], (int)sections[i].Size));
            }
            foreach ((int sym, int stub) in externals)
            {
                string symName = CString(obj, symNames.Offset + Symbol(obj, symSection, sym).Name);
                if (!symbols.TryGetValue(symName, out nint target) && !TryLibc(symName, out target))
                {
                    error = $"unknown symbol '{symName}'";
                    return 0;
                }
                byte* s = mem + stubs + (long)stub * StubSize;
                s[0] = 0xFF; s[1] = 0x25;                // jmp qword ptr [rip + 2]
                *(int*)(s + 2) = 2;
                s[6] = 0x0F; s[7] = 0x0B;                // ud2 (never reached)
                *(long*)(s + 8) = target;                // the slot, also a GOT entry for GOTPCREL
            }

            for (int i = 0; i < shnum; i++)
            {
                Section r = sections[i];
                if (r.Type != ShtRela || r.Info >= shnum || placed[r.Info] < 0) continue;
                byte* target = mem + placed[r.Info];
                for (long off = 0; off + 24 <= r.Size; off += 24)
                {
                    long at = checked((long)U64(obj, r.Offset + off));
                    ulong info = U64(obj, r.Offset + off + 8);
                    long addend = (long)U64(obj, r.Offset + off + 16);
                    int sym = (int)(info >> 32);
                    uint type = (uint)info;
                    if (at < 0 || at + (type == RX8664_64 ? 8 : 4) > sections[r.Info].Size) { error = "relocation outside its section"; return 0; }
                    byte* p = target + at;
                    var s = Symbol(obj, symSection, sym);
                    long symbolAddress, stubAddress = 0;
                    if (sym != 0 && s.Shndx == SectionUndefined)
                    {
                        stubAddress = (long)(mem + stubs + (long)externals[sym] * StubSize);
                        symbolAddress = *(long*)(stubAddress + 8);
                    }
                    else if (s.Shndx == SectionAbsolute) symbolAddress = (long)s.Value;
                    else if (s.Shndx < shnum && placed[s.Shndx] >= 0) symbolAddress = (long)(mem + placed[s.Shndx]) + (long)s.Value;
                    else { error = $"relocation against a section that is not loaded ({sections[Math.Min((int)s.Shndx, shnum - 1)].Name})"; return 0; }

                    switch (type)
                    {
                        case RX8664_64:
                            *(long*)p = symbolAddress + addend;
                            break;
                        case RX8664_PC32:
                        case RX8664_PLT32:
                            {
                                long dest = stubAddress != 0 ? stubAddress : symbolAddress;
                                if (!Fits32(dest + addend - (long)p, out int v)) { error = "PC-relative target out of range"; return 0; }
                                *(int*)p = v;
                                break;
                            }
                        case RX8664_GOTPCREL:
                        case RX8664_GOTPCRELX:
                        case RX8664_REX_GOTPCRELX:
                            {
                                if (stubAddress == 0) { error = "GOT reference to a local symbol"; return 0; }
                                if (!Fits32(stubAddress + 8 + addend - (long)p, out int v)) { error = "GOT entry out of range"; return 0; }
                                *(int*)p = v;
                                break;
                            }
                        default:
                            error = $"relocation type {type} not supported";
                            return 0;
                    }
                }
            }

            nint entry = 0;
            for (int i = 1; i < symbolCount; i++)
            {
                var s = Symbol(obj, symSection, i);
                if (s.Shndx == SectionUndefined || s.Shndx >= shnum || placed[s.Shndx] < 0) continue;
                if (CString(obj, symNames.Offset + s.Name) == name) { entry = (nint)(mem + placed[s.Shndx] + (long)s.Value); break; }
            }
            if (entry == 0) { error = $"no symbol '{name}' in the object"; return 0; }
            if (Mprotect(mem, mapped, ProtRead | ProtExec) != 0) { error = "cannot make the code executable"; return 0; }
            keep = true;
            return entry;
        }
        finally
        {
            if (!keep) Munmap(mem, mapped);
        }
    }

    private readonly record struct Sym(uint Name, ushort Shndx, ulong Value, ulong Size);

    private static Sym Symbol(ReadOnlySpan<byte> obj, Section symtab, int index)
    {
        var e = obj.Slice(checked((int)(symtab.Offset + (long)index * 24)), 24);
        return new Sym(U32(e, 0), U16(e, 6), U64(e, 8), U64(e, 16));
    }

    /// <summary>The size in bytes of the code of function <paramref name="name"/> in an object
    /// (its symbol's size), or 0 when the object has no such symbol or is not one we read.</summary>
    public static long SymbolSize(ReadOnlySpan<byte> obj, string name)
    {
        try
        {
            if (obj.Length < 64 || U16(obj, 0x3A) != 64) return 0;
            long shoff = checked((long)U64(obj, 0x28));
            int shnum = U16(obj, 0x3C);
            for (int i = 0; i < shnum; i++)
            {
                var h = obj.Slice(checked((int)(shoff + (long)i * 64)), 64);
                if (U32(h, 4) != ShtSymtab) continue;
                var symtab = new Section(ShtSymtab, 0, checked((long)U64(h, 24)), checked((long)U64(h, 32)), U32(h, 40), 0, 1, "");
                long names = checked((long)U64(obj.Slice(checked((int)(shoff + (long)symtab.Link * 64)), 64), 24));
                for (int j = 1; j < symtab.Size / 24; j++)
                {
                    var s = Symbol(obj, symtab, j);
                    if (s.Size > 0 && CString(obj, names + s.Name) == name) return (long)s.Size;   // skips the FILE symbol of the same name
                }
            }
            return 0;
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or IndexOutOfRangeException or OverflowException)
        {
            return 0;
        }
    }

    private static bool Fits32(long v, out int result)
    {
        result = (int)v;
        return v is >= int.MinValue and <= int.MaxValue;
    }

    private static ushort U16(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(checked((int)at), 2));
    private static uint U32(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(checked((int)at), 4));
    private static ulong U64(ReadOnlySpan<byte> b, long at) => BinaryPrimitives.ReadUInt64LittleEndian(b.Slice(checked((int)at), 8));

    private static string CString(ReadOnlySpan<byte> b, long at)
    {
        var rest = b.Slice(checked((int)at));
        int end = rest.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
    }

    /// <summary>memcpy, memmove and memset, which LLVM may call for copies and fills.</summary>
    private static bool TryLibc(string symbol, out nint address)
    {
        address = 0;
        if (symbol is not ("memcpy" or "memmove" or "memset")) return false;
        return NativeLibrary.TryLoad("libc.so.6", out nint libc) && NativeLibrary.TryGetExport(libc, symbol, out address);
    }

    private const int ProtRead = 1, ProtWrite = 2, ProtExec = 4, MapPrivate = 2, MapAnonymous = 0x20;

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* addr, nuint length, int prot, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "mprotect", SetLastError = true)]
    private static partial int Mprotect(void* addr, nuint length, int prot);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* addr, nuint length);
}
