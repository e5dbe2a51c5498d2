using System.Globalization;
using System.Text;
using Tiered.Interpreter.Bytecode;
using Tiered.Interpreter.Runtime;
using static Tiered.Interpreter.Bytecode.Instruction;

namespace Tiered.Interpreter.Compiler;

/// <summary>
/// Prints prototypes the way <c>luac -l -l</c> does, with prototype ids ("0", "0.2", "0.2.1":
/// the path through Protos) where luac prints addresses: a header per
/// function, one line per instruction with its source line and operands, a comment naming
/// constants, upvalues and jump targets, then the constant, local and upvalue tables, and
/// the same for every nested function. Backs <c>tiered disasm</c> and the codegen tests.
/// </summary>
public static class Disassembler
{
    public static string Listing(FunctionProto p)
    {
        var sb = new StringBuilder();
        Function(sb, p, "0");
        return sb.ToString();
    }

    /// <summary>Only the instruction lines of <paramref name="p"/> (no header or tables, no children).</summary>
    public static string Code(FunctionProto p)
    {
        var sb = new StringBuilder();
        for (int pc = 0; pc < p.Code.Length; pc++) InstructionLine(sb, p, pc);
        return sb.ToString();
    }

    private static string S(int n) => n == 1 ? "" : "s";

    private static string SourceName(string source) =>
        source.StartsWith('@') || source.StartsWith('=') ? source[1..] : "(string)";

    private static void Function(StringBuilder sb, FunctionProto p, string id)
    {
        string kind = p.LineDefined == 0 ? "main" : "function";
        sb.Append(CultureInfo.InvariantCulture,
            $"\n{kind} <{SourceName(p.Source)}:{p.LineDefined},{p.LastLineDefined}> ({p.Code.Length} instruction{S(p.Code.Length)} at {id})\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"{p.NumParams}{(p.IsVararg ? "+" : "")} param{S(p.NumParams)}, {p.MaxStackSize} slot{S(p.MaxStackSize)}, " +
            $"{p.Upvalues.Length} upvalue{S(p.Upvalues.Length)}, {p.LocalVars.Length} local{S(p.LocalVars.Length)}, " +
            $"{p.Constants.Length} constant{S(p.Constants.Length)}, {p.Protos.Length} function{S(p.Protos.Length)}\n");
        for (int pc = 0; pc < p.Code.Length; pc++) InstructionLine(sb, p, pc);

        sb.Append(CultureInfo.InvariantCulture, $"constants ({p.Constants.Length}) for {id}:\n");
        for (int i = 0; i < p.Constants.Length; i++)
        {
            Constant k = p.Constants[i];
            char tag = k.Kind switch
            {
                ConstantKind.Nil => 'N',
                ConstantKind.False or ConstantKind.True => 'B',
                ConstantKind.Integer => 'I',
                ConstantKind.Float => 'F',
                _ => 'S',
            };
            sb.Append(CultureInfo.InvariantCulture, $"\t{i}\t{tag}\t{ConstantText(k)}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"locals ({p.LocalVars.Length}) for {id}:\n");
        for (int i = 0; i < p.LocalVars.Length; i++)
        {
            LocalVarDesc v = p.LocalVars[i];
            sb.Append(CultureInfo.InvariantCulture, $"\t{i}\t{v.Name}\t{v.StartPc + 1}\t{v.EndPc + 1}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"upvalues ({p.Upvalues.Length}) for {id}:\n");
        for (int i = 0; i < p.Upvalues.Length; i++)
        {
            UpvalueDesc u = p.Upvalues[i];
            sb.Append(CultureInfo.InvariantCulture, $"\t{i}\t{u.Name}\t{(u.InStack ? 1 : 0)}\t{u.Index}\n");
        }
        for (int i = 0; i < p.Protos.Length; i++) Function(sb, p.Protos[i], id + "." + i);
    }

    /// <summary>A constant as luac prints it: strings quoted and escaped, floats always with a '.' or exponent.</summary>
    public static string ConstantText(in Constant k) => k.Kind switch
    {
        ConstantKind.Nil => "nil",
        ConstantKind.False => "false",
        ConstantKind.True => "true",
        ConstantKind.Integer => k.Integer.ToString(CultureInfo.InvariantCulture),
        ConstantKind.Float => Numbers.FloatToString(k.Float),
        _ => QuoteString(k.String!),
    };

    private static string QuoteString(byte[] s)
    {
        var sb = new StringBuilder("\"");
        foreach (byte b in s)
        {
            switch (b)
            {
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case 7: sb.Append("\\a"); break;
                case 8: sb.Append("\\b"); break;
                case 12: sb.Append("\\f"); break;
                case 10: sb.Append("\\n"); break;
                case 13: sb.Append("\\r"); break;
                case 9: sb.Append("\\t"); break;
                case 11: sb.Append("\\v"); break;
                default:
                    if (b >= 32 && b < 127) sb.Append((char)b);
                    else sb.Append(CultureInfo.InvariantCulture, $"\\{b:D3}");
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static string K(FunctionProto p, int index) =>
        index < p.Constants.Length ? ConstantText(p.Constants[index]) : "?";

    private static string UpvalueName(FunctionProto p, int index) =>
        index < p.Upvalues.Length && p.Upvalues[index].Name.Length > 0 ? p.Upvalues[index].Name : "-";

    private static string ResultCount(int n, string what) => n == 0 ? $"all {what}" : $"{n - 1} {what}";

    private static void InstructionLine(StringBuilder sb, FunctionProto p, int pc)
    {
        uint i = p.Code[pc];
        OpCode op = Op(i);
        int a = A(i), b = B(i), c = C(i), bx = Bx(i), sbx = SBx(i);
        string k = Instruction.K(i) ? "k" : "";
        int isk = Instruction.K(i) ? 1 : 0;
        string line = pc < p.LineInfo.Length ? p.LineInfo[pc].ToString(CultureInfo.InvariantCulture) : "-";
        string name = op.ToString().ToUpperInvariant();
        string operands, comment = "";
        int extra = pc + 1 < p.Code.Length && Op(p.Code[pc + 1]) == OpCode.ExtraArg ? Ax(p.Code[pc + 1]) : 0;
        switch (op)
        {
            case OpCode.Move: operands = $"{a} {b}"; break;
            case OpCode.LoadI: case OpCode.LoadF: operands = $"{a} {sbx}"; break;
            case OpCode.LoadK: operands = $"{a} {bx}"; comment = K(p, bx); break;
            case OpCode.LoadKX: operands = $"{a}"; comment = K(p, extra); break;
            case OpCode.LoadFalse: case OpCode.LFalseSkip: case OpCode.LoadTrue: operands = $"{a}"; break;
            case OpCode.LoadNil: operands = $"{a} {b}"; comment = $"{b + 1} out"; break;
            case OpCode.GetUpval: case OpCode.SetUpval: operands = $"{a} {b}"; comment = UpvalueName(p, b); break;
            case OpCode.GetTabUp: operands = $"{a} {b} {c}"; comment = $"{UpvalueName(p, b)} {K(p, c)}"; break;
            case OpCode.GetTable: case OpCode.GetI: operands = $"{a} {b} {c}"; break;
            case OpCode.GetField: operands = $"{a} {b} {c}"; comment = K(p, c); break;
            case OpCode.SetTabUp:
                operands = $"{a} {b} {c}{k}";
                comment = $"{UpvalueName(p, a)} {K(p, b)}" + (isk == 1 ? $" {K(p, c)}" : "");
                break;
            case OpCode.SetTable: case OpCode.SetI:
                operands = $"{a} {b} {c}{k}";
                if (isk == 1) comment = K(p, c);
                break;
            case OpCode.SetField:
                operands = $"{a} {b} {c}{k}";
                comment = K(p, b) + (isk == 1 ? $" {K(p, c)}" : "");
                break;
            case OpCode.NewTable:
                operands = $"{a} {b} {c}";
                comment = $"{c + extra * (MaxC + 1)}";
                break;
            case OpCode.Self:
                operands = $"{a} {b} {c}{k}";
                if (isk == 1) comment = K(p, c);
                break;
            case OpCode.AddI: case OpCode.ShrI: case OpCode.ShlI: operands = $"{a} {b} {SC(i)}"; break;
            case OpCode.AddK: case OpCode.SubK: case OpCode.MulK: case OpCode.ModK: case OpCode.PowK:
            case OpCode.DivK: case OpCode.IDivK: case OpCode.BAndK: case OpCode.BOrK: case OpCode.BXorK:
                operands = $"{a} {b} {c}";
                comment = K(p, c);
                break;
            case OpCode.Add: case OpCode.Sub: case OpCode.Mul: case OpCode.Mod: case OpCode.Pow: case OpCode.Div:
            case OpCode.IDiv: case OpCode.BAnd: case OpCode.BOr: case OpCode.BXor: case OpCode.Shl: case OpCode.Shr:
                operands = $"{a} {b} {c}";
                break;
            case OpCode.Unm: case OpCode.BNot: case OpCode.Not: case OpCode.Len: case OpCode.Concat:
                operands = $"{a} {b}";
                break;
            case OpCode.Close: case OpCode.Tbc: operands = $"{a}"; break;
            case OpCode.Jmp: operands = $"{SJ(i)}"; comment = $"to {SJ(i) + pc + 2}"; break;
            case OpCode.Eq: case OpCode.Lt: case OpCode.Le: operands = $"{a} {b} {isk}"; break;
            case OpCode.EqK: operands = $"{a} {b} {isk}"; comment = K(p, b); break;
            case OpCode.EqI: case OpCode.LtI: case OpCode.LeI: case OpCode.GtI: case OpCode.GeI:
                operands = $"{a} {SB(i)} {isk}";
                if (c != 0) comment = "float";
                break;
            case OpCode.Test: operands = $"{a} {isk}"; break;
            case OpCode.TestSet: operands = $"{a} {b} {isk}"; break;
            case OpCode.Call:
                operands = $"{a} {b} {c}";
                comment = $"{ResultCount(b, "in")} {ResultCount(c, "out")}";
                break;
            case OpCode.TailCall: operands = $"{a} {b} {c}{k}"; comment = ResultCount(b, "in"); break;
            case OpCode.Return: operands = $"{a} {b} {c}{k}"; comment = ResultCount(b, "out"); break;
            case OpCode.Return0: operands = ""; break;
            case OpCode.Return1: operands = $"{a}"; break;
            case OpCode.ForLoop: operands = $"{a} {bx}"; comment = $"to {pc - bx + 2}"; break;
            case OpCode.ForPrep: operands = $"{a} {bx}"; comment = $"exit to {pc + bx + 3}"; break;
            case OpCode.TForPrep: operands = $"{a} {bx}"; comment = $"to {pc + bx + 2}"; break;
            case OpCode.TForCall: operands = $"{a} {c}"; break;
            case OpCode.TForLoop: operands = $"{a} {bx}"; comment = $"to {pc - bx + 2}"; break;
            case OpCode.SetList:
                operands = $"{a} {b} {c}";
                if (isk == 1) comment = $"{c + extra * (MaxC + 1)}";
                break;
            case OpCode.Closure:
            {
                operands = $"{a} {bx}";
                if (bx < p.Protos.Length)
                    comment = $"function <{SourceName(p.Protos[bx].Source)}:{p.Protos[bx].LineDefined},{p.Protos[bx].LastLineDefined}>";
                break;
            }
            case OpCode.VarArg: operands = $"{a} {c}"; comment = ResultCount(c, "out"); break;
            case OpCode.VarArgPrep: operands = $"{a}"; break;
            case OpCode.ExtraArg: operands = $"{Ax(i)}"; break;
            default: operands = $"{a} {b} {c}"; break;
        }
        sb.Append(CultureInfo.InvariantCulture, $"\t{pc + 1}\t[{line}]\t{name,-9}\t{operands}");
        if (comment.Length > 0) sb.Append("\t; ").Append(comment);
        sb.Append('\n');
    }
}
