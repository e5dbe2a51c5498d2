using System.Text;
using Tiered.Interpreter.Lib;
using Xunit;

namespace Tiered.Interpreter.Tests.Lib;

// Expected outputs were produced by lua5.4 (5.4.4, glibc printf) running the same code.
public class StringLibTests
{
    // (specification, IEEE bits of the value, glibc's output): halfway cases, carries into a
    // new digit, subnormals, the extremes and glibc's %#g and %a quirks.
    public static readonly (string Spec, ulong Bits, string Expected)[] FloatCases =
    [
        ("%e", 0x0000000000000000, "0.000000e+00"),
        ("%.0e", 0x0000000000000000, "0e+00"),
        ("%.17e", 0x0000000000000000, "0.00000000000000000e+00"),
        ("%.0f", 0x0000000000000000, "0"),
        ("%.20f", 0x0000000000000000, "0.00000000000000000000"),
        ("%g", 0x0000000000000000, "0"),
        ("%#g", 0x0000000000000000, "0.00000"),
        ("%.17g", 0x0000000000000000, "0"),
        ("%#.0g", 0x0000000000000000, "0."),
        ("%a", 0x0000000000000000, "0x0p+0"),
        ("%.0a", 0x0000000000000000, "0x0p+0"),
        ("%.1a", 0x0000000000000000, "0x0.0p+0"),
        ("%A", 0x0000000000000000, "0X0P+0"),
        ("%+10.3f", 0x0000000000000000, "    +0.000"),
        ("%-12.2e|", 0x0000000000000000, "0.00e+00    |"),
        ("%012.3g", 0x0000000000000000, "000000000000"),
        ("%e", 0x8000000000000000, "-0.000000e+00"),
        ("%.0e", 0x8000000000000000, "-0e+00"),
        ("%.17e", 0x8000000000000000, "-0.00000000000000000e+00"),
        ("%.0f", 0x8000000000000000, "-0"),
        ("%.20f", 0x8000000000000000, "-0.00000000000000000000"),
        ("%g", 0x8000000000000000, "-0"),
        ("%#g", 0x8000000000000000, "-0.00000"),
        ("%.17g", 0x8000000000000000, "-0"),
        ("%#.0g", 0x8000000000000000, "-0."),
        ("%a", 0x8000000000000000, "-0x0p+0"),
        ("%.0a", 0x8000000000000000, "-0x0p+0"),
        ("%.1a", 0x8000000000000000, "-0x0.0p+0"),
        ("%A", 0x8000000000000000, "-0X0P+0"),
        ("%+10.3f", 0x8000000000000000, "    -0.000"),
        ("%-12.2e|", 0x8000000000000000, "-0.00e+00   |"),
        ("%012.3g", 0x8000000000000000, "-00000000000"),
        ("%e", 0x3fe0000000000000, "5.000000e-01"),
        ("%.0e", 0x3fe0000000000000, "5e-01"),
        ("%.17e", 0x3fe0000000000000, "5.00000000000000000e-01"),
        ("%.0f", 0x3fe0000000000000, "0"),
        ("%.20f", 0x3fe0000000000000, "0.50000000000000000000"),
        ("%g", 0x3fe0000000000000, "0.5"),
        ("%#g", 0x3fe0000000000000, "0.500000"),
        ("%.17g", 0x3fe0000000000000, "0.5"),
        ("%#.0g", 0x3fe0000000000000, "0.5"),
        ("%a", 0x3fe0000000000000, "0x1p-1"),
        ("%.0a", 0x3fe0000000000000, "0x1p-1"),
        ("%.1a", 0x3fe0000000000000, "0x1.0p-1"),
        ("%A", 0x3fe0000000000000, "0X1P-1"),
        ("%+10.3f", 0x3fe0000000000000, "    +0.500"),
        ("%-12.2e|", 0x3fe0000000000000, "5.00e-01    |"),
        ("%012.3g", 0x3fe0000000000000, "0000000000.5"),
        ("%e", 0x4004000000000000, "2.500000e+00"),
        ("%.0e", 0x4004000000000000, "2e+00"),
        ("%.17e", 0x4004000000000000, "2.50000000000000000e+00"),
        ("%.0f", 0x4004000000000000, "2"),
        ("%.20f", 0x4004000000000000, "2.50000000000000000000"),
        ("%g", 0x4004000000000000, "2.5"),
        ("%#g", 0x4004000000000000, "2.50000"),
        ("%.17g", 0x4004000000000000, "2.5"),
        ("%#.0g", 0x4004000000000000, "2."),
        ("%a", 0x4004000000000000, "0x1.4p+1"),
        ("%.0a", 0x4004000000000000, "0x1p+1"),
        ("%.1a", 0x4004000000000000, "0x1.4p+1"),
        ("%A", 0x4004000000000000, "0X1.4P+1"),
        ("%+10.3f", 0x4004000000000000, "    +2.500"),
        ("%-12.2e|", 0x4004000000000000, "2.50e+00    |"),
        ("%012.3g", 0x4004000000000000, "0000000002.5"),
        ("%e", 0x3fc0000000000000, "1.250000e-01"),
        ("%.0e", 0x3fc0000000000000, "1e-01"),
        ("%.17e", 0x3fc0000000000000, "1.25000000000000000e-01"),
        ("%.0f", 0x3fc0000000000000, "0"),
        ("%.20f", 0x3fc0000000000000, "0.12500000000000000000"),
        ("%g", 0x3fc0000000000000, "0.125"),
        ("%#g", 0x3fc0000000000000, "0.125000"),
        ("%.17g", 0x3fc0000000000000, "0.125"),
        ("%#.0g", 0x3fc0000000000000, "0.1"),
        ("%a", 0x3fc0000000000000, "0x1p-3"),
        ("%.0a", 0x3fc0000000000000, "0x1p-3"),
        ("%.1a", 0x3fc0000000000000, "0x1.0p-3"),
        ("%A", 0x3fc0000000000000, "0X1P-3"),
        ("%+10.3f", 0x3fc0000000000000, "    +0.125"),
        ("%-12.2e|", 0x3fc0000000000000, "1.25e-01    |"),
        ("%012.3g", 0x3fc0000000000000, "00000000.125"),
        ("%e", 0x4480f0cf064dd592, "1.000000e+22"),
        ("%.0e", 0x4480f0cf064dd592, "1e+22"),
        ("%.17e", 0x4480f0cf064dd592, "1.00000000000000000e+22"),
        ("%.0f", 0x4480f0cf064dd592, "10000000000000000000000"),
        ("%.20f", 0x4480f0cf064dd592, "10000000000000000000000.00000000000000000000"),
        ("%g", 0x4480f0cf064dd592, "1e+22"),
        ("%#g", 0x4480f0cf064dd592, "1.00000e+22"),
        ("%.17g", 0x4480f0cf064dd592, "1e+22"),
        ("%#.0g", 0x4480f0cf064dd592, "1.e+22"),
        ("%a", 0x4480f0cf064dd592, "0x1.0f0cf064dd592p+73"),
        ("%.0a", 0x4480f0cf064dd592, "0x1p+73"),
        ("%.1a", 0x4480f0cf064dd592, "0x1.1p+73"),
        ("%A", 0x4480f0cf064dd592, "0X1.0F0CF064DD592P+73"),
        ("%+10.3f", 0x4480f0cf064dd592, "+10000000000000000000000.000"),
        ("%-12.2e|", 0x4480f0cf064dd592, "1.00e+22    |"),
        ("%012.3g", 0x4480f0cf064dd592, "00000001e+22"),
        ("%e", 0x44b52d02c7e14af6, "1.000000e+23"),
        ("%.0e", 0x44b52d02c7e14af6, "1e+23"),
        ("%.17e", 0x44b52d02c7e14af6, "9.99999999999999916e+22"),
        ("%.0f", 0x44b52d02c7e14af6, "99999999999999991611392"),
        ("%.20f", 0x44b52d02c7e14af6, "99999999999999991611392.00000000000000000000"),
        ("%g", 0x44b52d02c7e14af6, "1e+23"),
        ("%#g", 0x44b52d02c7e14af6, "1.00000e+23"),
        ("%.17g", 0x44b52d02c7e14af6, "9.9999999999999992e+22"),
        ("%#.0g", 0x44b52d02c7e14af6, "1.e+23"),
        ("%a", 0x44b52d02c7e14af6, "0x1.52d02c7e14af6p+76"),
        ("%.0a", 0x44b52d02c7e14af6, "0x1p+76"),
        ("%.1a", 0x44b52d02c7e14af6, "0x1.5p+76"),
        ("%A", 0x44b52d02c7e14af6, "0X1.52D02C7E14AF6P+76"),
        ("%+10.3f", 0x44b52d02c7e14af6, "+99999999999999991611392.000"),
        ("%-12.2e|", 0x44b52d02c7e14af6, "1.00e+23    |"),
        ("%012.3g", 0x44b52d02c7e14af6, "00000001e+23"),
        ("%e", 0x42dc12218377de40, "1.234568e+14"),
        ("%.0e", 0x42dc12218377de40, "1e+14"),
        ("%.17e", 0x42dc12218377de40, "1.23456789012345000e+14"),
        ("%.0f", 0x42dc12218377de40, "123456789012345"),
        ("%.20f", 0x42dc12218377de40, "123456789012345.00000000000000000000"),
        ("%g", 0x42dc12218377de40, "1.23457e+14"),
        ("%#g", 0x42dc12218377de40, "1.23457e+14"),
        ("%.17g", 0x42dc12218377de40, "123456789012345"),
        ("%#.0g", 0x42dc12218377de40, "1.e+14"),
        ("%a", 0x42dc12218377de40, "0x1.c12218377de4p+46"),
        ("%.0a", 0x42dc12218377de40, "0x2p+46"),
        ("%.1a", 0x42dc12218377de40, "0x1.cp+46"),
        ("%A", 0x42dc12218377de40, "0X1.C12218377DE4P+46"),
        ("%+10.3f", 0x42dc12218377de40, "+123456789012345.000"),
        ("%-12.2e|", 0x42dc12218377de40, "1.23e+14    |"),
        ("%012.3g", 0x42dc12218377de40, "00001.23e+14"),
        ("%e", 0x0000000000000001, "4.940656e-324"),
        ("%.0e", 0x0000000000000001, "5e-324"),
        ("%.17e", 0x0000000000000001, "4.94065645841246544e-324"),
        ("%.0f", 0x0000000000000001, "0"),
        ("%.20f", 0x0000000000000001, "0.00000000000000000000"),
        ("%g", 0x0000000000000001, "4.94066e-324"),
        ("%#g", 0x0000000000000001, "4.94066e-324"),
        ("%.17g", 0x0000000000000001, "4.9406564584124654e-324"),
        ("%#.0g", 0x0000000000000001, "5.e-324"),
        ("%a", 0x0000000000000001, "0x0.0000000000001p-1022"),
        ("%.0a", 0x0000000000000001, "0x0p-1022"),
        ("%.1a", 0x0000000000000001, "0x0.0p-1022"),
        ("%A", 0x0000000000000001, "0X0.0000000000001P-1022"),
        ("%+10.3f", 0x0000000000000001, "    +0.000"),
        ("%-12.2e|", 0x0000000000000001, "4.94e-324   |"),
        ("%012.3g", 0x0000000000000001, "0004.94e-324"),
        ("%e", 0x0010000000000000, "2.225074e-308"),
        ("%.0e", 0x0010000000000000, "2e-308"),
        ("%.17e", 0x0010000000000000, "2.22507385850720138e-308"),
        ("%.0f", 0x0010000000000000, "0"),
        ("%.20f", 0x0010000000000000, "0.00000000000000000000"),
        ("%g", 0x0010000000000000, "2.22507e-308"),
        ("%#g", 0x0010000000000000, "2.22507e-308"),
        ("%.17g", 0x0010000000000000, "2.2250738585072014e-308"),
        ("%#.0g", 0x0010000000000000, "2.e-308"),
        ("%a", 0x0010000000000000, "0x1p-1022"),
        ("%.0a", 0x0010000000000000, "0x1p-1022"),
        ("%.1a", 0x0010000000000000, "0x1.0p-1022"),
        ("%A", 0x0010000000000000, "0X1P-1022"),
        ("%+10.3f", 0x0010000000000000, "    +0.000"),
        ("%-12.2e|", 0x0010000000000000, "2.23e-308   |"),
        ("%012.3g", 0x0010000000000000, "0002.23e-308"),
        ("%e", 0x000fffffffffffff, "2.225074e-308"),
        ("%.0e", 0x000fffffffffffff, "2e-308"),
        ("%.17e", 0x000fffffffffffff, "2.22507385850720089e-308"),
        ("%.0f", 0x000fffffffffffff, "0"),
        ("%.20f", 0x000fffffffffffff, "0.00000000000000000000"),
        ("%g", 0x000fffffffffffff, "2.22507e-308"),
        ("%#g", 0x000fffffffffffff, "2.22507e-308"),
        ("%.17g", 0x000fffffffffffff, "2.2250738585072009e-308"),
        ("%#.0g", 0x000fffffffffffff, "2.e-308"),
        ("%a", 0x000fffffffffffff, "0x0.fffffffffffffp-1022"),
        ("%.0a", 0x000fffffffffffff, "0x1p-1022"),
        ("%.1a", 0x000fffffffffffff, "0x1.0p-1022"),
        ("%A", 0x000fffffffffffff, "0X0.FFFFFFFFFFFFFP-1022"),
        ("%+10.3f", 0x000fffffffffffff, "    +0.000"),
        ("%-12.2e|", 0x000fffffffffffff, "2.23e-308   |"),
        ("%012.3g", 0x000fffffffffffff, "0002.23e-308"),
        ("%e", 0x7fefffffffffffff, "1.797693e+308"),
        ("%.0e", 0x7fefffffffffffff, "2e+308"),
        ("%.17e", 0x7fefffffffffffff, "1.79769313486231571e+308"),
        ("%.0f", 0x7fefffffffffffff, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368"),
        ("%.20f", 0x7fefffffffffffff, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00000000000000000000"),
        ("%g", 0x7fefffffffffffff, "1.79769e+308"),
        ("%#g", 0x7fefffffffffffff, "1.79769e+308"),
        ("%.17g", 0x7fefffffffffffff, "1.7976931348623157e+308"),
        ("%#.0g", 0x7fefffffffffffff, "2.e+308"),
        ("%a", 0x7fefffffffffffff, "0x1.fffffffffffffp+1023"),
        ("%.0a", 0x7fefffffffffffff, "0x2p+1023"),
        ("%.1a", 0x7fefffffffffffff, "0x2.0p+1023"),
        ("%A", 0x7fefffffffffffff, "0X1.FFFFFFFFFFFFFP+1023"),
        ("%+10.3f", 0x7fefffffffffffff, "+179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.000"),
        ("%-12.2e|", 0x7fefffffffffffff, "1.80e+308   |"),
        ("%012.3g", 0x7fefffffffffffff, "00001.8e+308"),
        ("%e", 0x3fb999999999999a, "1.000000e-01"),
        ("%.0e", 0x3fb999999999999a, "1e-01"),
        ("%.17e", 0x3fb999999999999a, "1.00000000000000006e-01"),
        ("%.0f", 0x3fb999999999999a, "0"),
        ("%.20f", 0x3fb999999999999a, "0.10000000000000000555"),
        ("%g", 0x3fb999999999999a, "0.1"),
        ("%#g", 0x3fb999999999999a, "0.100000"),
        ("%.17g", 0x3fb999999999999a, "0.10000000000000001"),
        ("%#.0g", 0x3fb999999999999a, "0.1"),
        ("%a", 0x3fb999999999999a, "0x1.999999999999ap-4"),
        ("%.0a", 0x3fb999999999999a, "0x2p-4"),
        ("%.1a", 0x3fb999999999999a, "0x1.ap-4"),
        ("%A", 0x3fb999999999999a, "0X1.999999999999AP-4"),
        ("%+10.3f", 0x3fb999999999999a, "    +0.100"),
        ("%-12.2e|", 0x3fb999999999999a, "1.00e-01    |"),
        ("%012.3g", 0x3fb999999999999a, "0000000000.1"),
        ("%e", 0x3fd5555555555555, "3.333333e-01"),
        ("%.0e", 0x3fd5555555555555, "3e-01"),
        ("%.17e", 0x3fd5555555555555, "3.33333333333333315e-01"),
        ("%.0f", 0x3fd5555555555555, "0"),
        ("%.20f", 0x3fd5555555555555, "0.33333333333333331483"),
        ("%g", 0x3fd5555555555555, "0.333333"),
        ("%#g", 0x3fd5555555555555, "0.333333"),
        ("%.17g", 0x3fd5555555555555, "0.33333333333333331"),
        ("%#.0g", 0x3fd5555555555555, "0.3"),
        ("%a", 0x3fd5555555555555, "0x1.5555555555555p-2"),
        ("%.0a", 0x3fd5555555555555, "0x1p-2"),
        ("%.1a", 0x3fd5555555555555, "0x1.5p-2"),
        ("%A", 0x3fd5555555555555, "0X1.5555555555555P-2"),
        ("%+10.3f", 0x3fd5555555555555, "    +0.333"),
        ("%-12.2e|", 0x3fd5555555555555, "3.33e-01    |"),
        ("%012.3g", 0x3fd5555555555555, "00000000.333"),
        ("%e", 0xbfe5555555555555, "-6.666667e-01"),
        ("%.0e", 0xbfe5555555555555, "-7e-01"),
        ("%.17e", 0xbfe5555555555555, "-6.66666666666666630e-01"),
        ("%.0f", 0xbfe5555555555555, "-1"),
        ("%.20f", 0xbfe5555555555555, "-0.66666666666666662966"),
        ("%g", 0xbfe5555555555555, "-0.666667"),
        ("%#g", 0xbfe5555555555555, "-0.666667"),
        ("%.17g", 0xbfe5555555555555, "-0.66666666666666663"),
        ("%#.0g", 0xbfe5555555555555, "-0.7"),
        ("%a", 0xbfe5555555555555, "-0x1.5555555555555p-1"),
        ("%.0a", 0xbfe5555555555555, "-0x1p-1"),
        ("%.1a", 0xbfe5555555555555, "-0x1.5p-1"),
        ("%A", 0xbfe5555555555555, "-0X1.5555555555555P-1"),
        ("%+10.3f", 0xbfe5555555555555, "    -0.667"),
        ("%-12.2e|", 0xbfe5555555555555, "-6.67e-01   |"),
        ("%012.3g", 0xbfe5555555555555, "-0000000.667"),
        ("%e", 0x412e847f00000000, "9.999995e+05"),
        ("%.0e", 0x412e847f00000000, "1e+06"),
        ("%.17e", 0x412e847f00000000, "9.99999500000000000e+05"),
        ("%.0f", 0x412e847f00000000, "1000000"),
        ("%.20f", 0x412e847f00000000, "999999.50000000000000000000"),
        ("%g", 0x412e847f00000000, "1e+06"),
        ("%#g", 0x412e847f00000000, "1.e+06"),
        ("%.17g", 0x412e847f00000000, "999999.5"),
        ("%#.0g", 0x412e847f00000000, "1.e+06"),
        ("%a", 0x412e847f00000000, "0x1.e847fp+19"),
        ("%.0a", 0x412e847f00000000, "0x2p+19"),
        ("%.1a", 0x412e847f00000000, "0x1.fp+19"),
        ("%A", 0x412e847f00000000, "0X1.E847FP+19"),
        ("%+10.3f", 0x412e847f00000000, "+999999.500"),
        ("%-12.2e|", 0x412e847f00000000, "1.00e+06    |"),
        ("%012.3g", 0x412e847f00000000, "00000001e+06"),
        ("%e", 0x4023ffffef39085f, "9.999999e+00"),
        ("%.0e", 0x4023ffffef39085f, "1e+01"),
        ("%.17e", 0x4023ffffef39085f, "9.99999949999999949e+00"),
        ("%.0f", 0x4023ffffef39085f, "10"),
        ("%.20f", 0x4023ffffef39085f, "9.99999949999999948602"),
        ("%g", 0x4023ffffef39085f, "10"),
        ("%#g", 0x4023ffffef39085f, "10.0000"),
        ("%.17g", 0x4023ffffef39085f, "9.9999994999999995"),
        ("%#.0g", 0x4023ffffef39085f, "1.e+01"),
        ("%a", 0x4023ffffef39085f, "0x1.3ffffef39085fp+3"),
        ("%.0a", 0x4023ffffef39085f, "0x1p+3"),
        ("%.1a", 0x4023ffffef39085f, "0x1.4p+3"),
        ("%A", 0x4023ffffef39085f, "0X1.3FFFFEF39085FP+3"),
        ("%+10.3f", 0x4023ffffef39085f, "   +10.000"),
        ("%-12.2e|", 0x4023ffffef39085f, "1.00e+01    |"),
        ("%012.3g", 0x4023ffffef39085f, "000000000010"),
        ("%e", 0x40f869ff851eb852, "9.999997e+04"),
        ("%.0e", 0x40f869ff851eb852, "1e+05"),
        ("%.17e", 0x40f869ff851eb852, "9.99999700000000012e+04"),
        ("%.0f", 0x40f869ff851eb852, "100000"),
        ("%.20f", 0x40f869ff851eb852, "99999.97000000000116415322"),
        ("%g", 0x40f869ff851eb852, "100000"),
        ("%#g", 0x40f869ff851eb852, "100000."),
        ("%.17g", 0x40f869ff851eb852, "99999.970000000001"),
        ("%#.0g", 0x40f869ff851eb852, "1.e+05"),
        ("%a", 0x40f869ff851eb852, "0x1.869ff851eb852p+16"),
        ("%.0a", 0x40f869ff851eb852, "0x2p+16"),
        ("%.1a", 0x40f869ff851eb852, "0x1.8p+16"),
        ("%A", 0x40f869ff851eb852, "0X1.869FF851EB852P+16"),
        ("%+10.3f", 0x40f869ff851eb852, "+99999.970"),
        ("%-12.2e|", 0x40f869ff851eb852, "1.00e+05    |"),
        ("%012.3g", 0x40f869ff851eb852, "00000001e+05"),
        ("%e", 0x3fefffffe5280d65, "9.999999e-01"),
        ("%.0e", 0x3fefffffe5280d65, "1e+00"),
        ("%.17e", 0x3fefffffe5280d65, "9.99999949999999971e-01"),
        ("%.0f", 0x3fefffffe5280d65, "1"),
        ("%.20f", 0x3fefffffe5280d65, "0.99999994999999997081"),
        ("%g", 0x3fefffffe5280d65, "1"),
        ("%#g", 0x3fefffffe5280d65, "1.00000"),
        ("%.17g", 0x3fefffffe5280d65, "0.99999994999999997"),
        ("%#.0g", 0x3fefffffe5280d65, "1."),
        ("%a", 0x3fefffffe5280d65, "0x1.fffffe5280d65p-1"),
        ("%.0a", 0x3fefffffe5280d65, "0x2p-1"),
        ("%.1a", 0x3fefffffe5280d65, "0x2.0p-1"),
        ("%A", 0x3fefffffe5280d65, "0X1.FFFFFE5280D65P-1"),
        ("%+10.3f", 0x3fefffffe5280d65, "    +1.000"),
        ("%-12.2e|", 0x3fefffffe5280d65, "1.00e+00    |"),
        ("%012.3g", 0x3fefffffe5280d65, "000000000001"),
        ("%e", 0x3ee4f8b588e368f1, "1.000000e-05"),
        ("%.0e", 0x3ee4f8b588e368f1, "1e-05"),
        ("%.17e", 0x3ee4f8b588e368f1, "1.00000000000000008e-05"),
        ("%.0f", 0x3ee4f8b588e368f1, "0"),
        ("%.20f", 0x3ee4f8b588e368f1, "0.00001000000000000000"),
        ("%g", 0x3ee4f8b588e368f1, "1e-05"),
        ("%#g", 0x3ee4f8b588e368f1, "1.00000e-05"),
        ("%.17g", 0x3ee4f8b588e368f1, "1.0000000000000001e-05"),
        ("%#.0g", 0x3ee4f8b588e368f1, "1.e-05"),
        ("%a", 0x3ee4f8b588e368f1, "0x1.4f8b588e368f1p-17"),
        ("%.0a", 0x3ee4f8b588e368f1, "0x1p-17"),
        ("%.1a", 0x3ee4f8b588e368f1, "0x1.5p-17"),
        ("%A", 0x3ee4f8b588e368f1, "0X1.4F8B588E368F1P-17"),
        ("%+10.3f", 0x3ee4f8b588e368f1, "    +0.000"),
        ("%-12.2e|", 0x3ee4f8b588e368f1, "1.00e-05    |"),
        ("%012.3g", 0x3ee4f8b588e368f1, "00000001e-05"),
        ("%e", 0x3fc3333333333333, "1.500000e-01"),
        ("%.0e", 0x3fc3333333333333, "1e-01"),
        ("%.17e", 0x3fc3333333333333, "1.49999999999999994e-01"),
        ("%.0f", 0x3fc3333333333333, "0"),
        ("%.20f", 0x3fc3333333333333, "0.14999999999999999445"),
        ("%g", 0x3fc3333333333333, "0.15"),
        ("%#g", 0x3fc3333333333333, "0.150000"),
        ("%.17g", 0x3fc3333333333333, "0.14999999999999999"),
        ("%#.0g", 0x3fc3333333333333, "0.1"),
        ("%a", 0x3fc3333333333333, "0x1.3333333333333p-3"),
        ("%.0a", 0x3fc3333333333333, "0x1p-3"),
        ("%.1a", 0x3fc3333333333333, "0x1.3p-3"),
        ("%A", 0x3fc3333333333333, "0X1.3333333333333P-3"),
        ("%+10.3f", 0x3fc3333333333333, "    +0.150"),
        ("%-12.2e|", 0x3fc3333333333333, "1.50e-01    |"),
        ("%012.3g", 0x3fc3333333333333, "000000000.15"),
        ("%e", 0x3ff1800000000000, "1.093750e+00"),
        ("%.0e", 0x3ff1800000000000, "1e+00"),
        ("%.17e", 0x3ff1800000000000, "1.09375000000000000e+00"),
        ("%.0f", 0x3ff1800000000000, "1"),
        ("%.20f", 0x3ff1800000000000, "1.09375000000000000000"),
        ("%g", 0x3ff1800000000000, "1.09375"),
        ("%#g", 0x3ff1800000000000, "1.09375"),
        ("%.17g", 0x3ff1800000000000, "1.09375"),
        ("%#.0g", 0x3ff1800000000000, "1."),
        ("%a", 0x3ff1800000000000, "0x1.18p+0"),
        ("%.0a", 0x3ff1800000000000, "0x1p+0"),
        ("%.1a", 0x3ff1800000000000, "0x1.2p+0"),
        ("%A", 0x3ff1800000000000, "0X1.18P+0"),
        ("%+10.3f", 0x3ff1800000000000, "    +1.094"),
        ("%-12.2e|", 0x3ff1800000000000, "1.09e+00    |"),
        ("%012.3g", 0x3ff1800000000000, "000000001.09"),
        ("%e", 0x3fffff0000000000, "1.999756e+00"),
        ("%.0e", 0x3fffff0000000000, "2e+00"),
        ("%.17e", 0x3fffff0000000000, "1.99975585937500000e+00"),
        ("%.0f", 0x3fffff0000000000, "2"),
        ("%.20f", 0x3fffff0000000000, "1.99975585937500000000"),
        ("%g", 0x3fffff0000000000, "1.99976"),
        ("%#g", 0x3fffff0000000000, "1.99976"),
        ("%.17g", 0x3fffff0000000000, "1.999755859375"),
        ("%#.0g", 0x3fffff0000000000, "2."),
        ("%a", 0x3fffff0000000000, "0x1.fffp+0"),
        ("%.0a", 0x3fffff0000000000, "0x2p+0"),
        ("%.1a", 0x3fffff0000000000, "0x2.0p+0"),
        ("%A", 0x3fffff0000000000, "0X1.FFFP+0"),
        ("%+10.3f", 0x3fffff0000000000, "    +2.000"),
        ("%-12.2e|", 0x3fffff0000000000, "2.00e+00    |"),
        ("%012.3g", 0x3fffff0000000000, "000000000002"),
        ("%e", 0x0000000000000018, "1.185758e-322"),
        ("%.0e", 0x0000000000000018, "1e-322"),
        ("%.17e", 0x0000000000000018, "1.18575755001899171e-322"),
        ("%.0f", 0x0000000000000018, "0"),
        ("%.20f", 0x0000000000000018, "0.00000000000000000000"),
        ("%g", 0x0000000000000018, "1.18576e-322"),
        ("%#g", 0x0000000000000018, "1.18576e-322"),
        ("%.17g", 0x0000000000000018, "1.1857575500189917e-322"),
        ("%#.0g", 0x0000000000000018, "1.e-322"),
        ("%a", 0x0000000000000018, "0x0.0000000000018p-1022"),
        ("%.0a", 0x0000000000000018, "0x0p-1022"),
        ("%.1a", 0x0000000000000018, "0x0.0p-1022"),
        ("%A", 0x0000000000000018, "0X0.0000000000018P-1022"),
        ("%+10.3f", 0x0000000000000018, "    +0.000"),
        ("%-12.2e|", 0x0000000000000018, "1.19e-322   |"),
        ("%012.3g", 0x0000000000000018, "0001.19e-322"),
        ("%e", 0x7ff0000000000000, "inf"),
        ("%.0e", 0x7ff0000000000000, "inf"),
        ("%.17e", 0x7ff0000000000000, "inf"),
        ("%.0f", 0x7ff0000000000000, "inf"),
        ("%.20f", 0x7ff0000000000000, "inf"),
        ("%g", 0x7ff0000000000000, "inf"),
        ("%#g", 0x7ff0000000000000, "inf"),
        ("%.17g", 0x7ff0000000000000, "inf"),
        ("%#.0g", 0x7ff0000000000000, "inf"),
        ("%a", 0x7ff0000000000000, "inf"),
        ("%.0a", 0x7ff0000000000000, "inf"),
        ("%.1a", 0x7ff0000000000000, "inf"),
        ("%A", 0x7ff0000000000000, "INF"),
        ("%+10.3f", 0x7ff0000000000000, "      +inf"),
        ("%-12.2e|", 0x7ff0000000000000, "inf         |"),
        ("%012.3g", 0x7ff0000000000000, "         inf"),
        ("%e", 0xfff0000000000000, "-inf"),
        ("%.0e", 0xfff0000000000000, "-inf"),
        ("%.17e", 0xfff0000000000000, "-inf"),
        ("%.0f", 0xfff0000000000000, "-inf"),
        ("%.20f", 0xfff0000000000000, "-inf"),
        ("%g", 0xfff0000000000000, "-inf"),
        ("%#g", 0xfff0000000000000, "-inf"),
        ("%.17g", 0xfff0000000000000, "-inf"),
        ("%#.0g", 0xfff0000000000000, "-inf"),
        ("%a", 0xfff0000000000000, "-inf"),
        ("%.0a", 0xfff0000000000000, "-inf"),
        ("%.1a", 0xfff0000000000000, "-inf"),
        ("%A", 0xfff0000000000000, "-INF"),
        ("%+10.3f", 0xfff0000000000000, "      -inf"),
        ("%-12.2e|", 0xfff0000000000000, "-inf        |"),
        ("%012.3g", 0xfff0000000000000, "        -inf"),
    ];

    public static IEnumerable<object[]> FloatCaseIndexes() => Enumerable.Range(0, FloatCases.Length).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(FloatCaseIndexes))]
    public void FloatConversionsMatchGlibc(int index)
    {
        (string spec, ulong bits, string expected) = FloatCases[index];
        var b = new ByteBuffer(64);
        CFormat.FormatFloat(b, FormatSpec.Parse(Encoding.ASCII.GetBytes(spec[1..].TrimEnd('|'))), BitConverter.UInt64BitsToDouble(bits));
        if (spec.EndsWith('|')) b.Add('|');
        Assert.Equal(expected, Encoding.ASCII.GetString(b.Span));
    }

    /// <summary>Positions, empty matches, frontier, balance, position captures, gmatch init and its literal '^'.</summary>
    [Fact]
    public void FindMatchGsubGmatchCorners()
    {
        Assert.Equal(
            "6\tnil\t2\tnil\n" +
            "x\t3\t[x]\n" +
            "W (W) W\t-a-b-c-\thellllo\t1\n" +
            "1a2b3c4\t-a-c-\t1bc\t3\n" +
            "two.three.1a2b3c[^a][^a]\n" +
            "nil\tll\tab,ab,ab\t\n",
            LuaRunner.Run("""
            print(string.find("hello", "", 6), string.find("hello", "", 7), string.find("a+b", "+", 1, true), string.find("abc", "b", -1))
            print(string.match("  x  ", "^%s*(.-)%s*$"), string.match("hello", "()ll()"), string.match("[[x]]", "%[(%b[])%]"))
            print(string.gsub("THE (quick) fox", "%f[%a]%a+", "W"), string.gsub("abc", "", "-"), string.gsub("hello", "(l)(l)", "%2%1%0"))
            print(string.gsub("abc", "()", "%1"), string.gsub("abc", "b*", "-"), string.gsub("abc", ".", {a = 1, b = false}))
            for w in string.gmatch("one two  three", "%a+", 4) do io.write(w, ".") end
            for a, b in string.gmatch("abc", "()(.)") do io.write(a, b) end
            for w in ("^a^a"):gmatch("^a") do io.write("[", w, "]") end
            print()
            print(string.byte("abc", 0), string.sub("hello", -3, -2), string.rep("ab", 3, ","), ("x"):rep(0))
            """));
    }

    /// <summary>Malformed patterns, capture errors, the matchdepth and capture limits, size limits.</summary>
    [Fact]
    public void PatternAndReplacementErrors()
    {
        Assert.Equal(
            "[a\tfalse\tmalformed pattern (missing ']')\n" +
            "(\tfalse\tunfinished capture\n" +
            "%\tfalse\tmalformed pattern (ends with '%')\n" +
            "(()\tfalse\tunfinished capture\n" +
            "%b\tfalse\tmalformed pattern (missing arguments to '%b')\n" +
            "%f\tfalse\tmissing '[' after '%f' in pattern\n" +
            "%1\tfalse\tinvalid capture index %1\n" +
            "(a)%2\tfalse\tinvalid capture index %2\n" +
            "a)\ttrue\tnil\n" +
            "false\tresulting string too large\n" +
            "false\tfalse\tinvalid use of '%' in replacement string\n" +
            "false\tinvalid replacement value (a boolean)\n" +
            "true\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n" +
            "false\ttoo many captures\n" +
            "false\tfalse\tunable to dump given function\n",
            LuaRunner.Run("""
            for _, p in ipairs({"[a", "(", "%", "(()", "%b", "%f", "%1", "(a)%2", "a)"}) do
              print(p, pcall(string.find, "abc", p))
            end
            print(pcall(string.rep, "x", 1 << 31))
            print(pcall(string.gsub, "abc", "a", "%2"), pcall(string.gsub, "abc", "a", "%"))
            print(pcall(string.gsub, "abc", "b", {b = true}))
            print(pcall(string.match, string.rep("a", 40), string.rep("a?", 200)))
            print(pcall(string.match, "x", string.rep("(", 33) .. "x" .. string.rep(")", 33)))
            print(pcall(string.char, 256), pcall(string.dump, print))
            """));
    }

    /// <summary>Integer and string conversions, %q, tostring semantics, the spec checks and their messages.</summary>
    [Fact]
    public void FormatConversionsAndChecks()
    {
        Assert.Equal(
            " -0.0|42   |00042|+5| 5|007|0xff|010|FF|18446744073709551615\n" +
            "Lu|   ab|ab   |ab|    x|\n" +
            "\"a\\0b\\13\\\n" +
            "\\\"\\\\\\1272\u00ff\"\t0x1p+0\t0x8000000000000000\t1e9999\t(0/0)\n" +
            "nil true TS\n" +
            "false\tspecifier '%q' cannot have modifiers\n" +
            "false\tinvalid conversion specification: '%#d'\n" +
            "false\tinvalid conversion specification: '%.3c'\n" +
            "false\tinvalid conversion '%y' to 'format'\n" +
            "false\tinvalid conversion '%' to 'format'\n" +
            "false\tinvalid conversion specification: '%123d'\n" +
            "false\tinvalid conversion '%1.' to 'format'\n" +
            "false\tinvalid format (too long)\n" +
            "false\tfalse\tfalse\tfalse\tbad argument #2 to 'string.format' (string contains zeros)\n",
            LuaRunner.Run("""
            local f = string.format
            print(f("%5.1f|%-5d|%05d|%+d|% d|%.3d|%#x|%#o|%X|%u", -0.0, 42, 42, 5, 5, 7, 255, 8, 255, -1))
            print(f("%c%c|%5s|%-5s|%.2s|%5.1s|", 76, 117, "ab", "ab", "abc", "xyz"))
            print(f("%q", "a\0b\r\n\"\\\1272\255"), f("%q", 1.0), f("%q", math.mininteger), f("%q", 1/0), f("%q", 0/0))
            print(f("%s %s %s", nil, true, setmetatable({}, {__tostring = function() return "TS" end})))
            for _, s in ipairs({"%10q", "%#d", "%.3c", "%y", "%", "%123d", "%1.", ("%"):rep(1) .. ("-"):rep(21) .. "d"}) do
              print(pcall(f, s, 1))
            end
            print(pcall(f, "%d", 1.5), pcall(f, "%d"), pcall(f, "%q", {}), pcall(f, "%5s", "a\0b"))
            """));
    }

    /// <summary>Endianness, alignment, odd sizes, strings, and the quirks of pack's error messages.</summary>
    [Fact]
    public void PackUnpackAndErrors()
    {
        Assert.Equal(
            "feffff0102ff000007\t16\t2\n" +
            "-2\t258\t-1\t7\t10\n" +
            "ab\t5\t17\n" +
            "01000000020000000000003f\tbff8000000000000\n" +
            "false\tfalse\tfalse\tbad argument #2 to 'string.pack' (number expected, got nil)\n" +
            "false\tfalse\tbad argument #2 to 'string.unpack' (unfinished string for format 'z')\n" +
            "false\tfalse\tfalse\tfalse\tinvalid format option 'y'\n",
            LuaRunner.Run("""
            local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
            print(hex(string.pack("<i3 >I2 b x h", -2, 258, -1, 7)), string.packsize("!8 i1 d"), string.packsize("<i1 Xi4 i1"))
            print(string.unpack("<i3 >I2 b x h", string.pack("<i3 >I2 b x h", -2, 258, -1, 7)))
            print(string.unpack("z s1 c3", "ab\0\3xyzuvw"), string.unpack(">I16", ("\0"):rep(15) .. "\5"))
            print(hex(string.pack("<!4 i1 i4 f", 1, 2, 0.5)), hex(string.pack(">d", -1.5)))
            print(pcall(string.pack, "i17", 1), pcall(string.pack, "i1", 200), pcall(string.pack, "i4"))
            print(pcall(string.unpack, "i9", ("\255"):rep(8) .. "\1"), pcall(string.unpack, "z", "abc"))
            print(pcall(string.packsize, "s"), pcall(string.pack, "!3 i4", 1), pcall(string.pack, "Xz", 1), pcall(string.pack, "y"))
            """));
    }

    /// <summary>Methods on strings and the arithmetic metamethods' messages.</summary>
    [Fact]
    public void StringMetatable()
    {
        Assert.Equal(
            "false\ttest:1: attempt to add a 'string' with a 'number'\n" +
            "false\ttest:2: attempt to unm a 'string' with a 'string'\n" +
            "11\t12\t-2\ttrue\n" +
            "7\tABC\tfalse\ttest:4: bad argument #1 to 'rep' (number expected, got table)\n",
            LuaRunner.Run("""
            print(pcall(function() return "abc" + 1 end))
            print(pcall(function() local s = "abc"; return -s end))
            print("10" + 1, "3" * "4", -"2", getmetatable("").__index == string)
            print(("%d"):format(7), ("abc"):upper(), pcall(function() return ("x"):rep({}) end))
            """));
    }

    /// <summary>Replacement functions and __tostring run Lua code (and collections) in the middle
    /// of gsub and format; the subject, pattern and partial results must stay reachable.</summary>
    [Fact]
    public void CallsBackIntoLuaUnderGcStress()
    {
        Assert.Equal(
            "600\t100\tHELLO WORLD HELLO WORLD HELLO WORLD HELLO\n" +
            "obj1|obj2|obj3|\n" +
            "300\n",
            LuaRunner.Run("""
            local s = string.rep("hello world ", 50)
            local r, n = s:gsub("%w+", function(w) local t = {} for i = 1, 5 do t[i] = w .. i end return t[3]:sub(1, -2):upper() end)
            print(#r, n, r:sub(1, 41))
            local mt = {__tostring = function(x) return ("obj"):rep(1) .. x.n end}
            print(string.format("%s|%s|%s|", setmetatable({n = 1}, mt), setmetatable({n = 2}, mt), setmetatable({n = 3}, mt)))
            local it = string.gmatch(string.rep("abc ", 100), "%a+")
            collectgarbage()
            local c = 0
            for w in it do c = c + #w end
            print(c)
            """, gcStress: true));
    }
}
