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
    internal delegate object? ArgReader(LuaEngine engine, LuaState L, int arg);

    public static HostFunction Create(LuaEngine engine, Delegate function)
    {
        MethodInfo invoke = function.GetType().GetMethod("Invoke")!;
        Func<object?, object?[], object?> call = CompileInvoker(invoke, Expression.Constant(function, function.GetType()));
        try { return Create(engine, invoke, function.Method.Name, call, self: null); }
        catch (ArgumentException ex) when (ex.ParamName == null)
        {
            throw new ArgumentException(ex.Message, nameof(function));
        }
    }

    /// <summary>An adapter for <paramref name="method"/>: when <paramref name="self"/> is given,
    /// argument 1 is the receiver (obj:Method(...)) and the parameters start at argument 2.</summary>
    internal static HostFunction Create(LuaEngine engine, MethodInfo method, string name,
        Func<object?, object?[], object?> call, Func<LuaState, object?>? self)
    {
        ParameterInfo[] parameters = method.GetParameters();
        int first = self == null ? 1 : 2;
        var readers = new ArgReader[parameters.Length];
        bool restParams = false;
        for (int i = 0; i < parameters.Length; i++)
        {
            Type t = parameters[i].ParameterType;
            if (i == parameters.Length - 1 && t == typeof(LuaValue[])) { restParams = true; continue; }
            readers[i] = ReaderFor(t, name);
        }
        Action<LuaEngine, LuaState, object?>? pushOne = null;
        Type ret = method.ReturnType;
        bool multi = ret == typeof(LuaValue[]);
        if (ret != typeof(void) && !multi) pushOne = PusherFor(ret, name);

        return (L, argc) =>
        {
            CheckNesting(engine, L);
            object? result;
            try
            {
                object? target = self?.Invoke(L);
                var args = new object?[parameters.Length];
                for (int i = 0; i < parameters.Length; i++)
                {
                    int arg = first + i;
                    if (restParams && i == parameters.Length - 1)
                    {
                        var rest = new LuaValue[Math.Max(0, argc - arg + 1)];
                        for (int j = 0; j < rest.Length; j++) rest[j] = engine.ToHost(L.Arg(arg + j));
                        args[i] = rest;
                    }
                    else args[i] = readers[i](engine, L, arg);
                }
                result = call(target, args);
            }
            catch (Exception ex) when (IsHostFailure(ex))
            {
                throw ToLuaError(engine, L, ex);
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

    /// <summary>Lua-to-host-to-Lua recursion grows the .NET stack; stop it as a Lua error well
    /// before the process would die of a real stack overflow.</summary>
    internal static void CheckNesting(LuaEngine engine, LuaState L)
    {
        if (!System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack()
            || engine.HostNesting >= LuaEngine.MaxHostNesting)
            throw L.RuntimeError("stack overflow (host call nesting too deep)");
    }

    /// <summary>Exceptions of host code that become Lua errors; Lua's own control flow
    /// (errors, yields, os.exit) and fatal runtime failures pass through.</summary>
    internal static bool IsHostFailure(Exception ex) =>
        ex is not (LuaRuntimeException or LuaYieldException or LuaExitException
            or OutOfMemoryException or StackOverflowException or AccessViolationException);

    internal static LuaRuntimeException ToLuaError(LuaEngine engine, LuaState L, Exception ex)
    {
        if (ex is LuaException lua)
        {
            // A Lua error that went through the host (a callback calling back into Lua):
            // raise it again in Lua, keeping the host exception it may carry.
            if (lua.InnerException != null) engine.RecordHostException(lua.LuaMessage, lua.InnerException);
            return L.ErrorValue(L.StringValue(lua.LuaMessage));
        }
        LuaRuntimeException error = L.RuntimeError(ex.Message);
        engine.RecordHostException(error.Message, ex);
        return error;
    }

    /// <summary>(target, args) => method(args) through a compiled expression; the receiver is
    /// <paramref name="instance"/> when given (a delegate), else the target cast to the
    /// declaring type (null for static methods).</summary>
    internal static Func<object?, object?[], object?> CompileInvoker(MethodInfo method, Expression? instance = null)
    {
        ParameterExpression target = Expression.Parameter(typeof(object), "target");
        ParameterExpression args = Expression.Parameter(typeof(object?[]), "args");
        var converted = method.GetParameters().Select((p, i) =>
            (Expression)Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType));
        instance ??= method.IsStatic ? null : Expression.Convert(target, method.DeclaringType!);
        Expression body = Expression.Call(instance, method, converted);
        body = method.ReturnType == typeof(void)
            ? Expression.Block(body, Expression.Constant(null, typeof(object)))
            : Expression.Convert(body, typeof(object));
        return Expression.Lambda<Func<object?, object?[], object?>>(body, target, args).Compile();
    }

    internal static ArgReader ReaderFor(Type t, string name)
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
        throw new ArgumentException($"parameter type {t} of {name} cannot be passed from Lua");
    }

    internal static Action<LuaEngine, LuaState, object?> PusherFor(Type t, string name)
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
        throw new ArgumentException($"return type {t} of {name} cannot be passed to Lua");
    }
}
