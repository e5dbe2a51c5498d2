using System.Linq.Expressions;
using System.Reflection;
using Tiered.Interpreter.Runtime;
using Tiered.Interpreter.VM;

namespace Tiered;

/// <summary>
/// Turns any delegate into a <see cref="HostFunction"/>. The reflection happens once, at
/// registration: each parameter gets a converter from its Lua argument, the result a pusher,
/// and the delegate is invoked through a compiled expression (no DynamicInvoke per call).
/// </summary>
internal static unsafe class HostAdapter
{
    private delegate object? ArgReader(LuaEngine engine, LuaState L, int arg);

    public static HostFunction Create(LuaEngine engine, Delegate function)
    {
        MethodInfo invoke = function.GetType().GetMethod("Invoke")!;
        ParameterInfo[] parameters = invoke.GetParameters();
        var readers = new ArgReader[parameters.Length];
        bool restParams = false;
        for (int i = 0; i < parameters.Length; i++)
        {
            Type t = parameters[i].ParameterType;
            if (i == parameters.Length - 1 && t == typeof(LuaValue[])) { restParams = true; continue; }
            readers[i] = ReaderFor(t, function);
        }
        Func<object?[], object?> call = CompileInvoker(function, invoke, parameters);
        Action<LuaEngine, LuaState, object?>? pushOne = null;
        Type ret = invoke.ReturnType;
        bool multi = ret == typeof(LuaValue[]);
        if (ret != typeof(void) && !multi) pushOne = PusherFor(ret, function);

        return (L, argc) =>
        {
            // Lua-to-host-to-Lua recursion grows the .NET stack; stop it as a Lua error well
            // before the process would die of a real stack overflow.
            if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack()
                || engine.HostNesting >= LuaEngine.MaxHostNesting)
                throw L.RuntimeError("stack overflow (host call nesting too deep)");
            object? result;
            try
            {
                var args = new object?[parameters.Length];
                for (int i = 0; i < parameters.Length; i++)
                {
                    if (restParams && i == parameters.Length - 1)
                    {
                        var rest = new LuaValue[Math.Max(0, argc - i)];
                        for (int j = 0; j < rest.Length; j++) rest[j] = engine.ToHost(L.Arg(i + 1 + j));
                        args[i] = rest;
                    }
                    else args[i] = readers[i](engine, L, i + 1);
                }
                result = call(args);
            }
            catch (LuaRuntimeException) { throw; }
            catch (LuaYieldException) { throw; }
            catch (LuaExitException) { throw; }
            catch (LuaException ex)
            {
                // A Lua error that went through the host (a callback calling back into Lua):
                // raise it again in Lua, keeping the host exception it may carry.
                if (ex.InnerException != null) engine.RecordHostException(ex.LuaMessage, ex.InnerException);
                throw L.ErrorValue(L.StringValue(ex.LuaMessage));
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or StackOverflowException or AccessViolationException))
            {
                LuaRuntimeException error = L.RuntimeError(ex.Message);
                engine.RecordHostException(error.Message, ex);
                throw error;
            }
            if (multi)
            {
                var values = (LuaValue[]?)result ?? [];
                L.CheckStack(values.Length);
                foreach (LuaValue v in values) L.Push(engine.ToLua(v));
                return values.Length;
            }
            if (pushOne == null) return 0;
            pushOne(engine, L, result);
            return 1;
        };
    }

    private static Func<object?[], object?> CompileInvoker(Delegate function, MethodInfo invoke, ParameterInfo[] parameters)
    {
        ParameterExpression args = Expression.Parameter(typeof(object?[]), "args");
        var converted = parameters.Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        Expression target = Expression.Constant(function, function.GetType());
        Expression body = Expression.Call(target, invoke, converted);
        body = invoke.ReturnType == typeof(void)
            ? Expression.Block(body, Expression.Constant(null, typeof(object)))
            : Expression.Convert(body, typeof(object));
        return Expression.Lambda<Func<object?[], object?>>(body, args).Compile();
    }

    private static ArgReader ReaderFor(Type t, Delegate function)
    {
        if (t == typeof(double)) return (_, L, i) => L.CheckNumber(i);
        if (t == typeof(float)) return (_, L, i) => (float)L.CheckNumber(i);
        if (t == typeof(long)) return (_, L, i) => L.CheckInteger(i);
        if (t == typeof(int)) return (_, L, i) =>
        {
            long v = L.CheckInteger(i);
            if (v < int.MinValue || v > int.MaxValue) throw L.ArgError(i, "number out of range");
            return (int)v;
        };
        if (t == typeof(bool)) return (_, L, i) => L.Arg(i).IsTruthy;
        if (t == typeof(string)) return (_, L, i) => L.IsNoneOrNil(i) ? null : L.CheckManagedString(i);
        if (t == typeof(LuaValue)) return (e, L, i) => e.ToHost(L.Arg(i));
        if (t == typeof(LuaTable)) return (e, L, i) =>
        {
            if (L.IsNoneOrNil(i)) return null;
            if (L.Arg(i).Tag != Tag.Table) throw L.TypeError(i, "table");
            return e.ToHost(L.Arg(i)).AsTable();
        };
        if (t == typeof(LuaFunction)) return (e, L, i) =>
        {
            if (L.IsNoneOrNil(i)) return null;
            if (!L.Arg(i).IsFunction) throw L.TypeError(i, "function");
            return e.ToHost(L.Arg(i)).AsFunction();
        };
        throw new ArgumentException($"parameter type {t} of {function.Method.Name} cannot be passed from Lua", nameof(function));
    }

    private static Action<LuaEngine, LuaState, object?> PusherFor(Type t, Delegate function)
    {
        if (t == typeof(double)) return (_, L, r) => L.PushNumber((double)r!);
        if (t == typeof(float)) return (_, L, r) => L.PushNumber((float)r!);
        if (t == typeof(long)) return (_, L, r) => L.PushInteger((long)r!);
        if (t == typeof(int)) return (_, L, r) => L.PushInteger((int)r!);
        if (t == typeof(bool)) return (_, L, r) => L.PushBoolean((bool)r!);
        if (t == typeof(string)) return (_, L, r) => { if (r == null) L.PushNil(); else L.PushString((string)r); };
        if (t == typeof(LuaValue)) return (e, L, r) => L.Push(e.ToLua((LuaValue)r!));
        if (t == typeof(LuaTable)) return (e, L, r) => L.Push(e.ToLua(LuaValue.FromTable((LuaTable?)r)));
        if (t == typeof(LuaFunction)) return (e, L, r) => L.Push(e.ToLua(LuaValue.FromFunction((LuaFunction?)r)));
        throw new ArgumentException($"return type {t} of {function.Method.Name} cannot be passed to Lua", nameof(function));
    }
}
