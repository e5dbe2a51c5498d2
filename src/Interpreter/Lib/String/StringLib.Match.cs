using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered.Interpreter.Lib;

// string.find, string.match, string.gmatch and string.gsub: the library side of the pattern
// matcher in Patterns.cs. The subject and the pattern stay on the Lua stack (or in the
// iterator's upvalues) for the whole call, so their bytes can be used by pointer even across
// the calls into Lua that gsub makes for function and table replacements.
public static unsafe partial class StringLib
{
    private static ReadOnlySpan<byte> Specials => "^$*+?.([%-"u8;

    private static bool HasSpecials(ReadOnlySpan<byte> p) => p.IndexOfAny(Specials) >= 0;

    private static int Find(LuaState L, int argc) => FindAux(L, find: true);

    private static int Match(LuaState L, int argc) => FindAux(L, find: false);

    private static int FindAux(LuaState L, bool find)
    {
        LuaString* str = L.CheckString(1);
        LuaString* pat = L.CheckString(2);
        long ls = str->Length, lp = pat->Length;
        long init = StartPosition(L.OptInteger(3, 1), ls) - 1;
        if (init > ls)
        {
            L.PushNil();
            return 1;
        }
        byte* s = LuaString.Data(str);
        byte* p = LuaString.Data(pat);
        if (find && (L.ToBoolean(4) || !HasSpecials(LuaString.Span(pat))))
        {
            // Plain search.
            int at = lp == 0 ? 0 : LuaString.Span(str)[(int)init..].IndexOf(LuaString.Span(pat));
            if (at < 0)
            {
                L.PushNil();
                return 1;
            }
            L.PushInteger(init + at + 1);
            L.PushInteger(init + at + lp);
            return 2;
        }
        bool anchor = lp > 0 && *p == '^';
        if (anchor)
        {
            p++;
            lp--;
        }
        var ms = new MatchState(L, s, ls, p, lp);
        byte* s1 = s + init;
        ms.PrepareFirstItem(p);
        do
        {
            if (!ms.MayMatchAt(s1)) continue;
            ms.Reprepare();
            byte* e = ms.Match(s1, p);
            if (e != null)
            {
                if (!find) return ms.PushCaptures(s1, e);
                L.PushInteger(s1 - s + 1);
                L.PushInteger(e - s);
                return ms.PushCaptures(null, null) + 2;
            }
        } while (s1++ < ms.SrcEnd && !anchor);
        L.PushNil();
        return 1;
    }

    // ------------------------------------------------------------------ gmatch

    // The iterator's upvalues: the subject, the pattern, the next position to try and the
    // end of the last match (-1 for none), both as offsets into the subject.
    private const int GmSubject = 0, GmPattern = 1, GmPosition = 2, GmLastMatch = 3;

    private static int Gmatch(LuaState L, int argc)
    {
        LuaString* s = L.CheckString(1);
        LuaString* p = L.CheckString(2);
        long ls = s->Length;
        long init = StartPosition(L.OptInteger(3, 1), ls) - 1;
        if (init > ls) init = ls + 1;   // starts past the end: no matches
        var iterTemplate = (HostClosure*)L.HostUpvalues[0].P;
        HostClosure* iter = L.NewHostClosure(iterTemplate->FunctionIndex, 4);
        Value* up = HostClosure.Upvalues(iter);
        up[GmSubject] = Value.Str(s);
        up[GmPattern] = Value.Str(p);
        up[GmPosition] = Value.Int(init);
        up[GmLastMatch] = Value.Int(-1);
        L.Push(Value.Object(iter, Tag.HostFunction));
        return 1;
    }

    private static int GmatchIterator(LuaState L, int argc)
    {
        Value* up = L.HostUpvalues;
        LuaString* str = up[GmSubject].AsString;
        LuaString* pat = up[GmPattern].AsString;
        byte* s = LuaString.Data(str);
        var ms = new MatchState(L, s, str->Length, LuaString.Data(pat), pat->Length);
        byte* lastMatch = up[GmLastMatch].I < 0 ? null : s + up[GmLastMatch].I;
        ms.PrepareFirstItem(LuaString.Data(pat));
        for (byte* src = s + up[GmPosition].I; src <= ms.SrcEnd; src++)
        {
            if (!ms.MayMatchAt(src)) continue;
            ms.Reprepare();
            byte* e = ms.Match(src, LuaString.Data(pat));
            // An empty match right where the previous match ended is skipped.
            if (e != null && e != lastMatch)
            {
                up[GmPosition] = Value.Int(e - s);
                up[GmLastMatch] = Value.Int(e - s);
                return ms.PushCaptures(src, e);
            }
        }
        up[GmPosition] = Value.Int(str->Length + 1);
        return 0;
    }

    // ------------------------------------------------------------------ gsub

    private static int Gsub(LuaState L, int argc)
    {
        LuaString* str = L.CheckString(1);
        LuaString* pat = L.CheckString(2);
        long srcl = str->Length, lp = pat->Length;
        Tag tr = L.Arg(3).Tag;
        long maxN = L.OptInteger(4, srcl + 1);
        if (!(tr is Tag.Integer or Tag.Float or Tag.String or Tag.Table || L.Arg(3).IsFunction))
            throw L.TypeError(3, "string/function/table");
        byte* src = LuaString.Data(str);
        byte* p = LuaString.Data(pat);
        bool anchor = lp > 0 && *p == '^';
        if (anchor)
        {
            p++;
            lp--;
        }
        LuaString* repl = tr is Tag.String or Tag.Integer or Tag.Float ? L.CheckString(3) : null;
        var ms = new MatchState(L, src, srcl, p, lp);
        ByteBuffer b = ByteBuffer.Rent(L);
        byte* lastMatch = null;
        long n = 0;
        bool changed = false;
        ms.PrepareFirstItem(p);
        while (n < maxN)
        {
            byte* e = null;
            if (ms.MayMatchAt(src))
            {
                ms.Reprepare();
                e = ms.Match(src, p);
            }
            if (e != null && e != lastMatch)
            {
                n++;
                changed |= repl != null ? AddString(ref ms, b, repl, src, e) : AddValue(L, ref ms, b, src, e, tr);
                src = lastMatch = e;
            }
            else if (src < ms.SrcEnd) b.Add(*src++);
            else break;
            if (anchor) break;
        }
        if (!changed) L.Push(L.Arg(1));
        else
        {
            b.Add(src, ms.SrcEnd - src);
            L.Push(Value.Str(b.ToLuaString()));
        }
        b.Release();
        L.PushInteger(n);
        return 2;
    }

    /// <summary>Appends a replacement string, expanding %0-%9 and %%.</summary>
    private static bool AddString(ref MatchState ms, ByteBuffer b, LuaString* repl, byte* s, byte* e)
    {
        byte* r = LuaString.Data(repl);
        byte* end = r + repl->Length;
        while (r < end)
        {
            byte c = *r++;
            if (c != '%')
            {
                b.Add(c);
                continue;
            }
            c = *r++;   // may read the terminating 0 byte: an error below, as in Lua
            if (c == '%') b.Add(c);
            else if (c == '0') b.Add(s, e - s);
            else if (c >= '1' && c <= '9') ms.AddCapture(b, c - '1', s, e);
            else throw ms.L.RuntimeError("invalid use of '%' in replacement string");
        }
        return true;
    }

    /// <summary>Appends the value a function or table gives for a match; false or nil keeps the
    /// original text. Returns whether the text changed.</summary>
    private static bool AddValue(LuaState L, ref MatchState ms, ByteBuffer b, byte* s, byte* e, Tag tr)
    {
        Value* func = L.Top;
        Value result;
        if (tr == Tag.Table)
        {
            ms.PushCapture(0, s, e);
            result = L.Index(L.Arg(3), func[0]);
            L.Top = func;
        }
        else
        {
            L.Push(L.Arg(3));
            int n = ms.PushCaptures(s, e);
            L.Call(func, n, 1);
            result = func[0];
        }
        if (result.IsFalsy)
        {
            L.Top = func;
            b.Add(s, e - s);
            return false;
        }
        if (result.Tag == Tag.String) b.Add(LuaString.Span(result.AsString));
        else if (result.IsNumber) b.Add(LuaString.Span(L.NumberToString(result)));
        else
        {
            L.Top = func;
            throw L.RuntimeError($"invalid replacement value (a {LuaState.TypeName(result.Tag)})");
        }
        L.Top = func;
        return true;
    }
}
