using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

/// <summary>The C locale's character classes (ctype.h), which Lua patterns are defined by.</summary>
internal static class CType
{
    private const byte Alpha = 1, Digit = 2, Space = 4, Upper = 8, Lower = 16, Punct = 32, Cntrl = 64, Hex = 128;
    private static readonly byte[] Table = Build();

    private static byte[] Build()
    {
        var t = new byte[256];
        for (int c = 0; c < 128; c++)
        {
            byte f = 0;
            if (c >= 'a' && c <= 'z') f |= Alpha | Lower;
            if (c >= 'A' && c <= 'Z') f |= Alpha | Upper;
            if (c >= '0' && c <= '9') f |= Digit | Hex;
            if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) f |= Hex;
            if (c == ' ' || (c >= '\t' && c <= '\r')) f |= Space;
            if (c < 32 || c == 127) f |= Cntrl;
            if (c > 32 && c < 127 && (f & (Alpha | Digit)) == 0) f |= Punct;
            t[c] = f;
        }
        return t;
    }

    public static bool IsAlpha(int c) => (Table[c] & Alpha) != 0;
    public static bool IsDigit(int c) => (Table[c] & Digit) != 0;
    public static bool IsSpace(int c) => (Table[c] & Space) != 0;
    public static bool IsUpper(int c) => (Table[c] & Upper) != 0;
    public static bool IsLower(int c) => (Table[c] & Lower) != 0;
    public static bool IsPunct(int c) => (Table[c] & Punct) != 0;
    public static bool IsCntrl(int c) => (Table[c] & Cntrl) != 0;
    public static bool IsXDigit(int c) => (Table[c] & Hex) != 0;
    public static bool IsAlnum(int c) => (Table[c] & (Alpha | Digit)) != 0;
    public static bool IsGraph(int c) => (Table[c] & (Alpha | Digit | Punct)) != 0;
    /// <summary>The table bits of a class letter's set (%a, %d, ... lower case), or 0 for a
    /// letter that is not such a class (then it stands for itself, or is %z).</summary>
    public static int ClassBits(int letter) => letter switch
    {
        'a' => Alpha, 'c' => Cntrl, 'd' => Digit, 'g' => Alpha | Digit | Punct, 'l' => Lower, 'p' => Punct,
        's' => Space, 'u' => Upper, 'w' => Alpha | Digit, 'x' => Hex, _ => 0,
    };

    public static bool HasAny(int c, int bits) => (Table[c] & bits) != 0;
    public static int ToLower(int c) => IsUpper(c) ? c + 32 : c;
    public static int ToUpper(int c) => IsLower(c) ? c - 32 : c;
}

/// <summary>
/// The Lua pattern matcher (manual §6.4.1): a backtracking matcher over the bytes of the
/// subject and the pattern. Both live in Lua strings, which are never moved and end with a
/// 0 byte, so the matcher works on raw pointers and may read the byte at an end pointer
/// (it is 0), exactly where the reference implementation relies on its terminator.
/// </summary>
/// <remarks>
/// Recursion happens for captures, back-tracking quantifiers and '?'; plain single-character
/// steps loop. <see cref="MaxCalls"/> bounds the recursion like Lua's MAXCCALLS, which turns a
/// pathological pattern into the error "pattern too complex" instead of a stack overflow.
/// </remarks>
internal unsafe struct MatchState
{
    public const int MaxCaptures = 32;
    private const int MaxCalls = 200;
    public const long CapUnfinished = -1;
    public const long CapPosition = -2;
    private const byte Esc = (byte)'%';

    public byte* SrcInit;
    public byte* SrcEnd;
    public byte* PEnd;
    public LuaState L;
    public int Level;
    private int matchDepth;
    private fixed long capInit[MaxCaptures];   // byte* of each capture's start
    private fixed long capLen[MaxCaptures];    // length, or CapUnfinished / CapPosition

    public MatchState(LuaState L, byte* src, long srcLength, byte* pattern, long patternLength)
    {
        this.L = L;
        SrcInit = src;
        SrcEnd = src + srcLength;
        PEnd = pattern + patternLength;
        Level = 0;
        matchDepth = MaxCalls;
    }

    // The pattern's first single-character class (see PrepareFirstItem); null when unknown.
    private byte* firstItem, firstItemEnd;

    /// <summary>Looks at how the pattern p starts, for <see cref="MayMatchAt"/>: through at most
    /// a few opening captures, a single-character class ('.', %x, [set] or a literal byte) that
    /// must match at least once (no '*', '?' or '-' after it). Anything else, or a malformed
    /// class (whose error Match reports), leaves the test off.</summary>
    public void PrepareFirstItem(byte* p)
    {
        firstItem = null;
        // Few enough captures that Match cannot fail on them ("too many captures", "pattern
        // too complex") before it reaches the class.
        for (int captures = 0; p < PEnd && *p == '('; captures++)
        {
            if (captures == 4) return;
            p += p[1] == ')' ? 2 : 1;
        }
        if (p >= PEnd) return;
        byte* e;
        switch (*p)
        {
            case (byte)')':
                return;
            case (byte)'$':
                if (p + 1 == PEnd) return;   // the end anchor
                e = p + 1;
                break;
            case Esc:
                if (p + 1 >= PEnd) return;
                byte next = p[1];
                if (next == 'b' || next == 'f' || (next >= '0' && next <= '9')) return;
                e = p + 2;
                break;
            case (byte)'[':
                e = p + 1;
                if (*e == '^') e++;
                do
                {
                    if (e == PEnd) return;   // missing ']': Match raises it
                    if (*e++ == Esc && e < PEnd) e++;
                } while (*e != ']');
                e++;
                break;
            default:
                e = p + 1;
                break;
        }
        if (*e == '*' || *e == '?' || *e == '-') return;   // (at PEnd, *e is the terminating 0)
        firstItem = p;
        firstItemEnd = e;
    }

    /// <summary>False only when no match can start at s: the pattern's first class (see
    /// PrepareFirstItem) does not match there. Match would return null at s with no other
    /// effect, so the search loops skip such positions without entering it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool MayMatchAt(byte* s) => firstItem == null || SingleMatch(s, firstItem, firstItemEnd);

    /// <summary>Resets the captures before trying a match at a new position.</summary>
    public void Reprepare()
    {
        Level = 0;
        matchDepth = MaxCalls;
    }

    public byte* CaptureStart(int i) => (byte*)capInit[i];
    public long CaptureLength(int i) => capLen[i];

    // ------------------------------------------------------------------ the matcher

    /// <summary>Matches pattern p at subject position s; returns the end of the match or null.</summary>
    public byte* Match(byte* s, byte* p)
    {
        if (matchDepth-- == 0) throw L.RuntimeError("pattern too complex");
        while (p != PEnd)
        {
            switch (*p)
            {
                case (byte)'(':
                    s = p[1] == ')' ? StartCapture(s, p + 2, CapPosition) : StartCapture(s, p + 1, CapUnfinished);
                    goto done;
                case (byte)')':
                    s = EndCapture(s, p + 1);
                    goto done;
                case (byte)'$':
                    if (p + 1 != PEnd) break;   // an ordinary '$'
                    s = s == SrcEnd ? s : null;
                    goto done;
                case Esc:
                    {
                        byte next = p[1];
                        if (next == 'b')
                        {
                            s = MatchBalance(s, p + 2);
                            if (s == null) goto done;
                            p += 4;
                            continue;
                        }
                        if (next == 'f')
                        {
                            p += 2;
                            if (*p != '[') throw L.RuntimeError("missing '[' after '%f' in pattern");
                            byte* ep = ClassEnd(p);
                            int previous = s == SrcInit ? 0 : s[-1];
                            if (!MatchBracketClass(previous, p, ep - 1) && MatchBracketClass(*s, p, ep - 1))
                            {
                                p = ep;
                                continue;
                            }
                            s = null;
                            goto done;
                        }
                        if (next >= '0' && next <= '9')
                        {
                            s = MatchCapture(s, next);
                            if (s == null) goto done;
                            p += 2;
                            continue;
                        }
                        break;   // an escaped class: handled below
                    }
            }
            // A single-character class, possibly followed by a quantifier.
            byte* e = ClassEnd(p);
            if (!SingleMatch(s, p, e))
            {
                if (*e == '*' || *e == '?' || *e == '-')
                {
                    p = e + 1;   // zero repetitions are fine
                    continue;
                }
                s = null;
                goto done;
            }
            switch (*e)
            {
                case (byte)'?':
                    {
                        byte* res = Match(s + 1, e + 1);
                        if (res != null) { s = res; goto done; }
                        p = e + 1;
                        continue;
                    }
                case (byte)'+': s = MaxExpand(s + 1, p, e); goto done;
                case (byte)'*': s = MaxExpand(s, p, e); goto done;
                case (byte)'-': s = MinExpand(s, p, e); goto done;
                default: s++; p = e; continue;
            }
        }
    done:
        matchDepth++;
        return s;
    }

    /// <summary>End of the single-character class starting at p.</summary>
    private byte* ClassEnd(byte* p)
    {
        byte c = *p++;
        if (c == Esc)
        {
            if (p == PEnd) throw L.RuntimeError("malformed pattern (ends with '%')");
            return p + 1;
        }
        if (c == '[')
        {
            if (*p == '^') p++;
            do
            {
                // The first character after '[' (or '[^') is literal even when it is ']'.
                if (p == PEnd) throw L.RuntimeError("malformed pattern (missing ']')");
                if (*p++ == Esc && p < PEnd) p++;
            } while (*p != ']');
            return p + 1;
        }
        return p;
    }

    private static bool MatchClass(int c, int cl)
    {
        bool res;
        switch (CType.ToLower(cl))
        {
            case 'a': res = CType.IsAlpha(c); break;
            case 'c': res = CType.IsCntrl(c); break;
            case 'd': res = CType.IsDigit(c); break;
            case 'g': res = CType.IsGraph(c); break;
            case 'l': res = CType.IsLower(c); break;
            case 'p': res = CType.IsPunct(c); break;
            case 's': res = CType.IsSpace(c); break;
            case 'u': res = CType.IsUpper(c); break;
            case 'w': res = CType.IsAlnum(c); break;
            case 'x': res = CType.IsXDigit(c); break;
            case 'z': res = c == 0; break;   // deprecated, still accepted by 5.4
            default: return cl == c;
        }
        return CType.IsUpper(cl) ? !res : res;
    }

    /// <summary>Does c belong to the set [..] from p (at '[') to ec (at the closing ']')?</summary>
    private static bool MatchBracketClass(int c, byte* p, byte* ec)
    {
        bool sig = true;
        if (p[1] == '^')
        {
            sig = false;
            p++;
        }
        while (++p < ec)
        {
            if (*p == Esc)
            {
                p++;
                if (MatchClass(c, *p)) return sig;
            }
            else if (p[1] == '-' && p + 2 < ec)
            {
                p += 2;
                if (p[-2] <= c && c <= *p) return sig;
            }
            else if (*p == c) return sig;
        }
        return !sig;
    }

    private bool SingleMatch(byte* s, byte* p, byte* ep)
    {
        if (s >= SrcEnd) return false;
        int c = *s;
        return *p switch
        {
            (byte)'.' => true,
            Esc => MatchClass(c, p[1]),
            (byte)'[' => MatchBracketClass(c, p, ep - 1),
            _ => *p == c,
        };
    }

    private byte* MatchBalance(byte* s, byte* p)
    {
        if (p >= PEnd - 1) throw L.RuntimeError("malformed pattern (missing arguments to '%b')");
        if (*s != *p) return null;
        byte open = p[0], close = p[1];
        int depth = 1;
        while (++s < SrcEnd)
        {
            if (*s == close)
            {
                if (--depth == 0) return s + 1;
            }
            else if (*s == open) depth++;
        }
        return null;
    }

    private byte* MaxExpand(byte* s, byte* p, byte* ep)
    {
        long i = RunLength(s, p, ep);
        // Try the longest run first, backing off one repetition at a time.
        for (; i >= 0; i--)
        {
            byte* res = Match(s + i, ep + 1);
            if (res != null) return res;
        }
        return null;
    }

    /// <summary>How many characters from s the single item p..ep matches in a row, as repeated
    /// SingleMatch calls would count them, but with the item decoded once for the common
    /// items ('.', %a-style classes and literal characters).</summary>
    private long RunLength(byte* s, byte* p, byte* ep)
    {
        long left = SrcEnd - s, i = 0;
        switch (*p)
        {
            case (byte)'.':
                return left > 0 ? left : 0;
            case Esc:
                {
                    int letter = p[1];
                    int bits = CType.ClassBits(CType.ToLower(letter));
                    if (bits == 0) break;
                    bool inSet = !CType.IsUpper(letter);   // %A, %D, ...: the complement
                    while (i < left && CType.HasAny(s[i], bits) == inSet) i++;
                    return i;
                }
            case (byte)'[':
                break;
            default:
                {
                    byte c = *p;
                    while (i < left && s[i] == c) i++;
                    return i;
                }
        }
        while (SingleMatch(s + i, p, ep)) i++;
        return i;
    }

    private byte* MinExpand(byte* s, byte* p, byte* ep)
    {
        for (; ; )
        {
            byte* res = Match(s, ep + 1);
            if (res != null) return res;
            if (SingleMatch(s, p, ep)) s++;
            else return null;
        }
    }

    private byte* StartCapture(byte* s, byte* p, long what)
    {
        if (Level >= MaxCaptures) throw L.RuntimeError("too many captures");
        capInit[Level] = (long)s;
        capLen[Level] = what;
        Level++;
        byte* res = Match(s, p);
        if (res == null) Level--;   // undo the capture
        return res;
    }

    private byte* EndCapture(byte* s, byte* p)
    {
        int l = CaptureToClose();
        capLen[l] = s - (byte*)capInit[l];
        byte* res = Match(s, p);
        if (res == null) capLen[l] = CapUnfinished;   // undo the capture
        return res;
    }

    private int CaptureToClose()
    {
        int level = Level;
        for (level--; level >= 0; level--)
            if (capLen[level] == CapUnfinished) return level;
        throw L.RuntimeError("invalid pattern capture");
    }

    private byte* MatchCapture(byte* s, int digit)
    {
        int l = CheckCapture(digit);
        long len = capLen[l];
        // A position capture has a negative length and, as in C's unsigned compare, never matches.
        if (len >= 0 && SrcEnd - s >= len && new ReadOnlySpan<byte>((byte*)capInit[l], (int)len).SequenceEqual(new ReadOnlySpan<byte>(s, (int)len)))
            return s + len;
        return null;
    }

    private int CheckCapture(int digit)
    {
        int l = digit - '1';
        if (l < 0 || l >= Level || capLen[l] == CapUnfinished)
            throw L.RuntimeError($"invalid capture index %{l + 1}");
        return l;
    }

    // ------------------------------------------------------------------ results

    /// <summary>Pushes capture i (or the whole match s..e when there are no captures).</summary>
    public void PushCapture(int i, byte* s, byte* e)
    {
        if (i >= Level)
        {
            if (i != 0) throw L.RuntimeError($"invalid capture index %{i + 1}");
            L.PushString(new ReadOnlySpan<byte>(s, (int)(e - s)));
            return;
        }
        long len = capLen[i];
        byte* start = (byte*)capInit[i];
        if (len == CapUnfinished) throw L.RuntimeError("unfinished capture");
        if (len == CapPosition) L.PushInteger(start - SrcInit + 1);
        else L.PushString(new ReadOnlySpan<byte>(start, (int)len));
    }

    /// <summary>Pushes all captures (the whole match when there are none and s is not null).</summary>
    public int PushCaptures(byte* s, byte* e)
    {
        int n = Level == 0 && s != null ? 1 : Level;
        L.CheckStack(n);
        for (int i = 0; i < n; i++) PushCapture(i, s, e);
        return n;
    }

    /// <summary>Appends capture i to a replacement; a position capture appends its number.</summary>
    public void AddCapture(ByteBuffer b, int i, byte* s, byte* e)
    {
        if (i >= Level)
        {
            if (i != 0) throw L.RuntimeError($"invalid capture index %{i + 1}");
            b.Add(s, e - s);
            return;
        }
        long len = capLen[i];
        byte* start = (byte*)capInit[i];
        if (len == CapUnfinished) throw L.RuntimeError("unfinished capture");
        if (len == CapPosition) b.AddAscii(Numbers.IntegerToString(start - SrcInit + 1));
        else b.Add(start, len);
    }
}
