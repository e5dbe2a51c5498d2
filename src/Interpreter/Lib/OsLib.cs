using System.Diagnostics;
using System.Text;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;
using static Tiered.Interpreter.Lib.LibraryHelpers;

namespace Tiered.Interpreter.Lib;

/// <summary>The operating system library (Lua 5.4 manual §6.9).</summary>
/// <remarks>
/// Times are seconds since the Unix epoch (a 64-bit time_t). Calendar arithmetic is done
/// here on day numbers, not with DateTime, because Lua accepts any year that fits a C int
/// (os.date(..., 2^55) works in lua5.4); only the local time zone's offset comes from
/// <see cref="TimeZoneInfo.Local"/>. os.date formats in the C locale, as lua5.4 does.
/// </remarks>
public static unsafe class OsLib
{
    public static void Open(LuaState L)
    {
        NewLibrary(L, "os",
        [
            ("clock", Clock), ("date", Date), ("difftime", DiffTime), ("execute", Execute), ("exit", Exit),
            ("getenv", GetEnv), ("remove", Remove), ("rename", Rename), ("setlocale", SetLocale),
            ("time", Time), ("tmpname", TmpName),
        ]);
    }

    // ------------------------------------------------------------------ processes and files

    private static int Clock(LuaState L, int argc)
    {
        L.PushNumber(Environment.CpuUsage.TotalTime.TotalSeconds);
        return 1;
    }

    private static int GetEnv(LuaState L, int argc)
    {
        string? value = Environment.GetEnvironmentVariable(L.CheckManagedString(1));
        if (value == null) L.PushNil();
        else L.PushString(value);
        return 1;
    }

    private static int Exit(LuaState L, int argc)
    {
        Value status = L.Arg(1);
        int code = status.Tag == Tag.Boolean ? (status.IsTruthy ? 0 : 1) : (int)L.OptInteger(1, 0);
        // C's exit() flushes every open stream; the host unwinds and ends the process.
        IoLib.FlushAll(L);
        throw new LuaExitException(code, L.ToBoolean(2));
    }

    private static int Execute(LuaState L, int argc)
    {
        if (L.IsNoneOrNil(1))
        {
            L.PushBoolean(!OperatingSystem.IsWindows() ? File.Exists("/bin/sh") : true);
            return 1;
        }
        string command = L.CheckManagedString(1);
        // lua5.4's print flushes stdout, so what the script printed precedes the command's output.
        L.StdOut.Flush();
        var psi = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        psi.UseShellExecute = false;
        int exitCode;
        try
        {
            using Process p = Process.Start(psi) ?? throw new InvalidOperationException();
            p.WaitForExit();
            exitCode = p.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return IoLib.PushFailure(L, IoLib.ENOENT, null);
        }
        // .NET reports death by signal n as exit code 128 + n, the shell's convention.
        bool signaled = !OperatingSystem.IsWindows() && exitCode > 128 && exitCode < 128 + 65;
        if (exitCode == 0) L.PushBoolean(true);
        else L.PushNil();
        L.PushString(signaled ? "signal" : "exit");
        L.PushInteger(signaled ? exitCode - 128 : exitCode);
        return 3;
    }

    private static int Remove(LuaState L, int argc)
    {
        LuaString* name = L.CheckString(1);
        string managed = LuaString.ToManaged(name);
        int errno = IoLib.RemovePath(LuaString.Data(name), managed);
        if (errno != 0) return IoLib.PushFailure(L, errno, managed);
        L.PushBoolean(true);
        return 1;
    }

    private static int Rename(LuaState L, int argc)
    {
        LuaString* from = L.CheckString(1);
        LuaString* to = L.CheckString(2);
        int errno = IoLib.RenamePath(LuaString.Data(from), LuaString.Data(to), LuaString.ToManaged(from), LuaString.ToManaged(to));
        if (errno != 0) return IoLib.PushFailure(L, errno, null);
        L.PushBoolean(true);
        return 1;
    }

    private static int TmpName(LuaState L, int argc)
    {
        string dir = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";
        for (int attempt = 0; attempt < 100; attempt++)
        {
            string path = Path.Combine(dir, "lua_" + IoLib.RandomSuffix());
            try
            {
                // Created like mkstemp does, so the name is taken when we return it.
                new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete).Dispose();
                L.PushString(path);
                return 1;
            }
            catch (IOException e) when (IoLib.ErrnoOf(e, path) == IoLib.EEXIST) { }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { break; }
        }
        throw L.RuntimeError("unable to generate a unique filename");
    }

    // ------------------------------------------------------------------ locale

    private static readonly string[] LocaleCategories = ["all", "collate", "ctype", "monetary", "numeric", "time"];
    private static readonly string[] CategoryVariables = ["LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MONETARY", "LC_NUMERIC", "LC_TIME"];

    /// <summary>The locale name, process-wide as in C. Only the C locale (under its names)
    /// exists in this engine; the string functions never depend on it.</summary>
    private static string currentLocale = "C";

    private static int SetLocale(LuaState L, int argc)
    {
        string? requested = L.IsNoneOrNil(1) ? null : L.CheckManagedString(1);
        int category = L.CheckOption(2, "all", LocaleCategories);
        if (requested == null)
        {
            L.PushString(currentLocale);
            return 1;
        }
        if (requested.Length == 0)
        {
            // "" means the environment's choice: LC_ALL, then the category's variable, then LANG.
            requested = Environment.GetEnvironmentVariable("LC_ALL");
            if (string.IsNullOrEmpty(requested)) requested = Environment.GetEnvironmentVariable(CategoryVariables[category]);
            if (string.IsNullOrEmpty(requested)) requested = Environment.GetEnvironmentVariable("LANG");
            if (string.IsNullOrEmpty(requested)) requested = "C";
        }
        string? accepted = requested switch
        {
            "C" or "POSIX" => "C",
            "C.UTF-8" or "C.utf8" or "C.UTF8" or "C.utf-8" => requested,
            _ => null,
        };
        if (accepted == null)
        {
            L.PushNil();
            return 1;
        }
        currentLocale = accepted;
        L.PushString(accepted);
        return 1;
    }

    // ------------------------------------------------------------------ calendar arithmetic

    /// <summary>A broken-down time, C's struct tm with a 64-bit year.</summary>
    private struct CivilTime
    {
        public long Year;
        public int Month;    // 1..12
        public int Day;      // 1..31
        public int Hour, Minute, Second;
        public int WeekDay;  // 0 = Sunday
        public int YearDay;  // 0 = January 1st
        public long Days;    // days since 1970-01-01 of this (local) date
        public bool IsDst;
        public int UtcOffset;   // seconds east of UTC
        public string Zone;
    }

    private static long FloorDiv(long a, long b) => a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
    private static long FloorMod(long a, long b) => a - FloorDiv(a, b) * b;

    /// <summary>Days since 1970-01-01 of a proleptic Gregorian date (any year; month 1..12).</summary>
    private static long DaysFromCivil(long year, int month, int day)
    {
        // Count from March 1st of year 0 so the leap day ends the counting year; 400-year
        // eras have exactly 146097 days.
        long y = month <= 2 ? year - 1 : year;
        long era = FloorDiv(y, 400);
        long yearOfEra = y - era * 400;
        int monthFromMarch = month > 2 ? month - 3 : month + 9;
        long dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }

    /// <summary>The inverse of <see cref="DaysFromCivil"/>.</summary>
    private static (long Year, int Month, int Day) CivilFromDays(long days)
    {
        long z = days + 719468;
        long era = FloorDiv(z, 146097);
        long dayOfEra = z - era * 146097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthFromMarch = (5 * dayOfYear + 2) / 153;
        int day = (int)(dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int)(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }

    /// <summary>Beyond this many seconds from the epoch no year fits a C int anyway; the bound
    /// keeps the arithmetic below from overflowing.</summary>
    private const long TimeLimit = 1L << 60;

    private const long MinDateTimeOffsetSeconds = -62135596800, MaxDateTimeOffsetSeconds = 253402300799;

    /// <summary>The local zone at an instant: offset, DST flag and abbreviation.</summary>
    private static (int Offset, bool IsDst, string Zone) LocalZoneAt(long t)
    {
        (int offset, bool dst) = LocalOffsetAt(t);
        return (offset, dst, ZoneAbbreviation(TimeZoneInfo.Local, dst, TimeSpan.FromSeconds(offset)));
    }

    /// <summary>What C's %Z prints. .NET gives abbreviations ("CET") for most zones read from
    /// the tz database but a long name for UTC; numeric names ("+03") are what glibc prints
    /// for zones that have no letters.</summary>
    private static string ZoneAbbreviation(TimeZoneInfo tz, bool dst, TimeSpan offset)
    {
        string name = dst ? tz.DaylightName : tz.StandardName;
        if (name.Length > 0 && name.Length <= 6 && !name.Contains(' ')) return name;
        if (offset == TimeSpan.Zero && !tz.SupportsDaylightSavingTime) return "UTC";
        int minutes = (int)offset.TotalMinutes;
        string sign = minutes < 0 ? "-" : "+";
        minutes = Math.Abs(minutes);
        return minutes % 60 == 0 ? $"{sign}{minutes / 60:00}" : $"{sign}{minutes / 60:00}{minutes % 60:00}";
    }

    /// <summary>gmtime / localtime: false when the year does not fit a C int.</summary>
    private static bool BreakDown(long t, bool utc, out CivilTime ct)
    {
        ct = default;
        if (t < -TimeLimit || t > TimeLimit) return false;
        (int offset, bool dst, string zone) = utc ? (0, false, "GMT") : LocalZoneAt(t);
        long local = t + offset;
        long days = FloorDiv(local, 86400);
        long secondOfDay = local - days * 86400;
        (long year, int month, int day) = CivilFromDays(days);
        if (year - 1900 > int.MaxValue || year - 1900 < int.MinValue) return false;
        ct.Year = year;
        ct.Month = month;
        ct.Day = day;
        ct.Hour = (int)(secondOfDay / 3600);
        ct.Minute = (int)(secondOfDay / 60 % 60);
        ct.Second = (int)(secondOfDay % 60);
        ct.WeekDay = (int)FloorMod(days + 4, 7);   // 1970-01-01 was a Thursday
        ct.YearDay = (int)(days - DaysFromCivil(year, 1, 1));
        ct.Days = days;
        ct.IsDst = dst;
        ct.UtcOffset = offset;
        ct.Zone = zone;
        return true;
    }

    /// <summary>mktime: fields may be out of range and are normalised; isDst is -1 (unknown),
    /// 0 or 1. Returns false when the result is not representable.</summary>
    /// <remarks>
    /// A wall-clock time maps to the instant wall - offset, for an offset the zone uses
    /// around it. Near a transition there are two offsets (the one before and the one
    /// after): in a gap neither is consistent, in an overlap both are. Like glibc, a DST flag
    /// picks between them, no flag picks standard time, and a flag no nearby offset has is
    /// honoured by borrowing the offset of the nearest time that has it (or, in zones without
    /// DST, by shifting an hour).
    /// </remarks>
    private static bool MakeTime(long year, long month0, long day, long hour, long minute, long second, int isDst, out long t)
    {
        long y = year + FloorDiv(month0, 12);
        int month = (int)FloorMod(month0, 12) + 1;
        long wall = (DaysFromCivil(y, month, 1) + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
        int guess = LocalOffsetAt(wall).Offset;
        (int Offset, bool IsDst) before = LocalOffsetAt(wall - guess - 43200);
        (int Offset, bool IsDst) after = LocalOffsetAt(wall - guess + 43200);
        // Only a candidate whose instant really has that offset is a reading of the wall time.
        bool beforeFits = LocalOffsetAt(wall - before.Offset).Offset == before.Offset;
        bool afterFits = LocalOffsetAt(wall - after.Offset).Offset == after.Offset;
        (int Offset, bool IsDst) chosen;
        if (before == after || beforeFits != afterFits) chosen = before == after || beforeFits ? before : after;
        else if (isDst < 0) chosen = before.IsDst && !after.IsDst ? after : !before.IsDst && after.IsDst ? before : after;
        else chosen = after.IsDst == (isDst == 1) ? after : before;
        t = wall - chosen.Offset;
        if (isDst >= 0 && chosen.IsDst != (isDst == 1))
            t = BorrowDstOffset(wall, t, isDst == 1);
        return t != -1 && BreakDown(t, utc: false, out _);
    }

    /// <summary>glibc's answer when the wanted DST flag is not in effect around the time: the
    /// offset of the nearest instant (searching weekly, up to 17 years away) that has it.</summary>
    private static long BorrowDstOffset(long wall, long t, bool wantDst)
    {
        const long Stride = 601200, Bound = 536454000;
        if (TimeZoneInfo.Local.SupportsDaylightSavingTime)
            for (long delta = Stride; delta < Bound; delta += Stride)
                for (int direction = -1; direction <= 1; direction += 2)
                {
                    (int offset, bool dst) = LocalOffsetAt(t + delta * direction);
                    if (dst == wantDst) return wall - offset;
                }
        return wantDst ? t - 3600 : t + 3600;
    }

    /// <summary>The local zone's UTC offset (seconds) and DST flag at an instant.</summary>
    private static (int Offset, bool IsDst) LocalOffsetAt(long t)
    {
        TimeZoneInfo tz = TimeZoneInfo.Local;
        if (t < MinDateTimeOffsetSeconds || t > MaxDateTimeOffsetSeconds) return ((int)tz.BaseUtcOffset.TotalSeconds, false);
        var instant = DateTimeOffset.FromUnixTimeSeconds(t);
        return ((int)tz.GetUtcOffset(instant).TotalSeconds, tz.IsDaylightSavingTime(instant));
    }

    /// <summary>ISO 8601 week-based year and week (%G, %V): weeks start on Monday and week 1
    /// holds the year's first Thursday, so a date's ISO year is its week's Thursday's year.</summary>
    private static (long Year, int Week) IsoWeek(in CivilTime ct)
    {
        int daysSinceMonday = (ct.WeekDay + 6) % 7;
        long thursday = ct.Days - daysSinceMonday + 3;
        long isoYear = CivilFromDays(thursday).Year;
        return (isoYear, (int)((thursday - DaysFromCivil(isoYear, 1, 1)) / 7) + 1);
    }

    // ------------------------------------------------------------------ os.time, os.difftime

    private static int Time(LuaState L, int argc)
    {
        if (L.IsNoneOrNil(1))
        {
            L.PushInteger(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            return 1;
        }
        L.CheckTable(1);
        Value table = L.Arg(1);
        // lua5.4 reads the fields in this order, so this is the order of its errors.
        long year = DateField(L, table, "year", -1, 1900);
        long month = DateField(L, table, "month", -1, 1);
        long day = DateField(L, table, "day", -1, 0);
        long hour = DateField(L, table, "hour", 12, 0);
        long minute = DateField(L, table, "min", 0, 0);
        long second = DateField(L, table, "sec", 0, 0);
        Value dst = L.Index(table, L.StringValue("isdst"));
        int isDst = dst.Tag == Tag.Nil ? -1 : dst.IsTruthy ? 1 : 0;
        if (!MakeTime(year + 1900, month, day, hour, minute, second, isDst, out long t))
            throw L.RuntimeError("time result cannot be represented in this installation");
        BreakDown(t, utc: false, out CivilTime ct);
        SetDateFields(L, table, ct, raw: false);
        L.PushInteger(t);
        return 1;
    }

    /// <summary>A date-table field as an int offset by <paramref name="delta"/> (C's tm
    /// counts years from 1900 and months from 0); <paramref name="defaultValue"/> &lt; 0 means required.</summary>
    private static long DateField(LuaState L, in Value table, string key, long defaultValue, long delta)
    {
        Value v = L.Index(table, L.StringValue(key));
        if (!LuaState.TryToInteger(v, out long result))
        {
            if (v.Tag != Tag.Nil) throw L.RuntimeError($"field '{key}' is not an integer");
            if (defaultValue < 0) throw L.RuntimeError($"field '{key}' missing in date table");
            return defaultValue;
        }
        bool fits = result >= 0 ? result - delta <= int.MaxValue : int.MinValue + delta <= result;
        if (!fits) throw L.RuntimeError($"field '{key}' is out-of-bound");
        return result - delta;
    }

    private static void SetDateFields(LuaState L, in Value table, in CivilTime ct, bool raw)
    {
        (string Key, Value Val)[] fields =
        [
            ("year", Value.Int(ct.Year)), ("month", Value.Int(ct.Month)), ("day", Value.Int(ct.Day)),
            ("hour", Value.Int(ct.Hour)), ("min", Value.Int(ct.Minute)), ("sec", Value.Int(ct.Second)),
            ("yday", Value.Int(ct.YearDay + 1)), ("wday", Value.Int(ct.WeekDay + 1)), ("isdst", Value.Bool(ct.IsDst)),
        ];
        foreach ((string key, Value val) in fields)
        {
            if (raw) TableOps.Set(L, table.AsTable, L.StringValue(key), val);
            else L.SetIndex(table, L.StringValue(key), val);
        }
    }

    private static int DiffTime(LuaState L, int argc)
    {
        long t1 = L.CheckInteger(1);
        long t2 = L.CheckInteger(2);
        L.PushNumber((double)t1 - t2);
        return 1;
    }

    // ------------------------------------------------------------------ os.date

    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>The conversions lua5.4 lets through to strftime (C99): single letters, then
    /// the E and O modified forms, which the C locale prints like the plain ones.</summary>
    private const string SingleConversions = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
    private static readonly string[] ModifiedConversions =
        ["Ec", "EC", "Ex", "EX", "Ey", "EY", "Od", "Oe", "OH", "OI", "Om", "OM", "OS", "Ou", "OU", "OV", "Ow", "OW", "Oy"];

    private static int Date(LuaState L, int argc)
    {
        ReadOnlySpan<byte> format = L.IsNoneOrNil(1) ? "%c"u8 : L.CheckBytes(1);
        long t = L.IsNoneOrNil(2) ? DateTimeOffset.UtcNow.ToUnixTimeSeconds() : L.CheckInteger(2);
        bool utc = format.Length > 0 && format[0] == '!';
        if (utc) format = format[1..];
        if (!BreakDown(t, utc, out CivilTime ct))
            throw L.RuntimeError("date result cannot be represented in this installation");
        ReadOnlySpan<byte> untilNul = format.IndexOf((byte)0) is int nul and >= 0 ? format[..nul] : format;
        if (untilNul.SequenceEqual("*t"u8))
        {
            LuaTable* result = L.NewTable(0, 9);
            SetDateFields(L, Value.Table(result), ct, raw: true);
            L.PushTable(result);
            return 1;
        }
        var output = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            byte c = format[i];
            if (c != '%')
            {
                output.Append((char)c);
                continue;
            }
            ReadOnlySpan<byte> conversion = format[(i + 1)..];
            char letter;
            if (conversion.Length >= 1 && SingleConversions.Contains((char)conversion[0]))
            {
                letter = (char)conversion[0];
                i += 1;
            }
            else if (conversion.Length >= 2 && Array.IndexOf(ModifiedConversions, Encoding.Latin1.GetString(conversion[..2])) >= 0)
            {
                letter = (char)conversion[1];
                i += 2;
            }
            else
            {
                int end = conversion.IndexOf((byte)0);
                string rest = Encoding.Latin1.GetString(end >= 0 ? conversion[..end] : conversion);
                throw L.ArgError(1, $"invalid conversion specifier '%{rest}'");
            }
            AppendConversion(output, letter, ct);
        }
        L.PushString(Encoding.Latin1.GetBytes(output.ToString()));
        return 1;
    }

    /// <summary>One strftime conversion in the C locale (glibc's output, including its
    /// unpadded %Y/%C/%G for years outside 1000..9999).</summary>
    private static void AppendConversion(StringBuilder o, char letter, in CivilTime ct)
    {
        switch (letter)
        {
            case 'a': o.Append(DayNames[ct.WeekDay], 0, 3); break;
            case 'A': o.Append(DayNames[ct.WeekDay]); break;
            case 'b': case 'h': o.Append(MonthNames[ct.Month - 1], 0, 3); break;
            case 'B': o.Append(MonthNames[ct.Month - 1]); break;
            case 'c':
                AppendConversion(o, 'a', ct); o.Append(' ');
                AppendConversion(o, 'b', ct); o.Append(' ');
                AppendConversion(o, 'e', ct); o.Append(' ');
                AppendConversion(o, 'T', ct); o.Append(' ');
                AppendConversion(o, 'Y', ct);
                break;
            case 'C': o.Append(FloorDiv(ct.Year, 100)); break;
            case 'd': Two(o, ct.Day); break;
            case 'D': case 'x':
                AppendConversion(o, 'm', ct); o.Append('/');
                AppendConversion(o, 'd', ct); o.Append('/');
                AppendConversion(o, 'y', ct);
                break;
            case 'e': o.Append(ct.Day < 10 ? " " : "").Append(ct.Day); break;
            case 'F':
                AppendConversion(o, 'Y', ct); o.Append('-');
                AppendConversion(o, 'm', ct); o.Append('-');
                AppendConversion(o, 'd', ct);
                break;
            case 'g': Two(o, (int)FloorMod(IsoWeek(ct).Year, 100)); break;
            case 'G': o.Append(IsoWeek(ct).Year); break;
            case 'H': Two(o, ct.Hour); break;
            case 'I': Two(o, ct.Hour % 12 == 0 ? 12 : ct.Hour % 12); break;
            case 'j': o.Append((ct.YearDay + 1).ToString("000")); break;
            case 'm': Two(o, ct.Month); break;
            case 'M': Two(o, ct.Minute); break;
            case 'n': o.Append('\n'); break;
            case 'p': o.Append(ct.Hour < 12 ? "AM" : "PM"); break;
            case 'r':
                AppendConversion(o, 'I', ct); o.Append(':');
                AppendConversion(o, 'M', ct); o.Append(':');
                AppendConversion(o, 'S', ct); o.Append(' ');
                AppendConversion(o, 'p', ct);
                break;
            case 'R':
                AppendConversion(o, 'H', ct); o.Append(':');
                AppendConversion(o, 'M', ct);
                break;
            case 'S': Two(o, ct.Second); break;
            case 't': o.Append('\t'); break;
            case 'T': case 'X':
                AppendConversion(o, 'H', ct); o.Append(':');
                AppendConversion(o, 'M', ct); o.Append(':');
                AppendConversion(o, 'S', ct);
                break;
            case 'u': o.Append(ct.WeekDay == 0 ? 7 : ct.WeekDay); break;
            case 'U': Two(o, (ct.YearDay + 7 - ct.WeekDay) / 7); break;
            case 'V': Two(o, IsoWeek(ct).Week); break;
            case 'w': o.Append(ct.WeekDay); break;
            case 'W': Two(o, (ct.YearDay + 7 - (ct.WeekDay + 6) % 7) / 7); break;
            case 'y': Two(o, (int)FloorMod(ct.Year, 100)); break;
            case 'Y': o.Append(ct.Year); break;
            case 'z':
                {
                    int minutes = ct.UtcOffset / 60;
                    o.Append(minutes < 0 ? '-' : '+');
                    minutes = Math.Abs(minutes);
                    Two(o, minutes / 60);
                    Two(o, minutes % 60);
                    break;
                }
            case 'Z': o.Append(ct.Zone); break;
            case '%': o.Append('%'); break;
        }
    }

    private static void Two(StringBuilder o, int n)
    {
        if (n < 10) o.Append('0');
        o.Append(n);
    }
}
