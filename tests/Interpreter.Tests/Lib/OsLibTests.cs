using Xunit;

namespace Tiered.Interpreter.Tests.Lib;

// Expected outputs were produced by lua5.4 (5.4.4) running the same code.
public class OsLibTests
{
    [Fact]
    public void DateFormatsInUtc()
    {
        Assert.Equal(
            "2009-02-13 23:31:30 Fri Friday Feb February Fri Feb 13 23:31:30 2009\n" +
            "20 09 09/09/01  9 2001-09-09 01 2001 Sep 01 252 09 46 \n AM 01:46:40 AM 01:46 40 \t 01:46:40 7 36 36 0 36 09/09/01 01:46:40 01 +0000 GMT %\n" +
            "Thu Jan  1 00:00:00 1970 19 01/01/70 00:00:00 70 1970 01  1 00 12 01 00 00 4 00 01 4 00 70\n" +
            "-1|-1|99|-1-12-31\t36812|368|36812|08\n" +
            "2000\t2\t29\t0\t0\t0\t60\t3\tfalse\n" +
            "false\tfalse\tbad argument #1 to 'os.date' (invalid conversion specifier '%')\n" +
            "false\tbad argument #1 to 'os.date' (invalid conversion specifier '%Ez abc')\n" +
            "false\tdate result cannot be represented in this installation\n" +
            "false\tbad argument #2 to 'os.date' (number has no integer representation)\n",
            IoRunner.Out("""
                print(os.date("!%Y-%m-%d %H:%M:%S %a %A %b %B %c", 1234567890))
                print(os.date("!%C %d %D %e %F %g %G %h %I %j %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %z %Z %%", 1e9))
                print(os.date("!%Ec %EC %Ex %EX %Ey %EY %Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy", 0))
                print(os.date("!%Y|%C|%y|%F", -62167219200 - 86400), os.date("!%Y|%C|%G|%V", 2^40))
                local t = os.date("!*t", 951782400)
                print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.yday, t.wday, t.isdst)
                print(pcall(os.date, "%Ez abc"), pcall(os.date, "%"))
                print(pcall(os.date, "%Ez abc"))
                print(pcall(os.date, "%Y", 2^60))
                print(pcall(os.date, "%Y", 1.5))
                """));
    }

    [Fact]
    public void TimeNormalisesTablesAndReportsBadFields()
    {
        Assert.Equal(
            "0\t2001\t1\t29\t2\t0\t55\t29\t2\n" +
            "false\tfield 'year' missing in date table\n" +
            "false\tfield 'day' missing in date table\n" +
            "false\tfield 'day' is not an integer\n" +
            "false\tfield 'year' is out-of-bound\n" +
            "false\tfield 'sec' is out-of-bound\n" +
            "false\ttime result cannot be represented in this installation\n" +
            "6.0\tfloat\tinteger\n",
            IoRunner.Out("""
                local tt = {year = 2000, month = 14, day = -3, hour = 25, min = 61, sec = -5}
                local v = os.time(tt)
                print(v - os.time{year = 2001, month = 1, day = 29, hour = 2, min = 0, sec = 55}, tt.year, tt.month, tt.day, tt.hour, tt.min, tt.sec, tt.yday, tt.wday)
                print(pcall(os.time, {}))
                print(pcall(os.time, {year = 2000, month = 1}))
                print(pcall(os.time, {year = 2000, month = 1, day = 1.5}))
                print(pcall(os.time, {year = 2^40, month = 1, day = 1}))
                print(pcall(os.time, {year = 2000, month = 1, day = 1, sec = 2^31}))
                print(pcall(os.time, {year = 2^31 - 1 + 1900, month = 12, day = 31, hour = 23, min = 59, sec = 60}))
                print(os.difftime(10, 4), math.type(os.clock()), math.type(os.time()))
                """));
    }

    [Fact]
    public void FilesEnvironmentAndLocale()
    {
        Assert.Equal(
            "nil\t/nonexistent/x: No such file or directory\t2\n" +
            "nil\tNo such file or directory\t2\n" +
            "nil\tfalse\tbad argument #1 to 'os.getenv' (string expected, got no value)\n" +
            "C\tC\tnil\tfalse\tbad argument #2 to 'os.setlocale' (invalid option 'bad')\n" +
            "true\ttrue\n" +
            "true\tnil\ttrue\t2\n",
            IoRunner.Out("""
                print(os.remove("/nonexistent/x"))
                print(os.rename("/nonexistent/x", "/nonexistent/y"))
                print(os.getenv("TIERED_UNDEFINED_VAR_XYZ"), pcall(os.getenv))
                print(os.setlocale(), os.setlocale("C"), os.setlocale("xx_YY"), pcall(os.setlocale, nil, "bad"))
                local name = os.tmpname()
                print(name:match("^/tmp/lua_%w%w%w%w%w%w$") ~= nil, io.open(name) ~= nil)
                local ok = os.remove(name)
                local fail, msg, errno = os.remove(name)
                print(ok, fail, msg == name .. ": No such file or directory", errno)
                """));
    }

    [Fact]
    public void RemoveReportsNonEmptyDirectories()
    {
        string dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "f"), "x");
            Assert.Equal($"nil\t{dir}: Directory not empty\t39\ntrue\ttrue\n", IoRunner.Out($"""
                print(os.remove("{dir}"))
                print(os.remove("{dir}/f"), os.remove("{dir}"))
                """));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
