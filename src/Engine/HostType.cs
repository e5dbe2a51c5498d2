using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace Tiered;

/// <summary>
/// What Lua may see of one .NET type: its <see cref="LuaMemberAttribute"/> members, found by
/// reflection once per type (shared by all engines) and compiled to delegates.
/// </summary>
internal sealed class HostType
{
    private static readonly ConcurrentDictionary<Type, HostType> cache = new();

    public readonly Type Type;
    /// <summary>The name in messages and tostring (Lua's __name).</summary>
    public readonly string Name;
    public readonly List<HostMethod> Methods = new();
    public readonly List<HostProperty> Properties = new();

    public static HostType For(Type type) => cache.GetOrAdd(type, t => new HostType(t));

    private HostType(Type type)
    {
        Type = type;
        Name = type.Name;
        var names = new HashSet<string>(StringComparer.Ordinal);
        const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static;
        foreach (PropertyInfo p in type.GetProperties(Public))
        {
            if (p.GetCustomAttribute<LuaMemberAttribute>(inherit: true) is not { } attr) continue;
            if (p.GetIndexParameters().Length != 0)
                throw new ArgumentException($"indexer {type.Name}.{p.Name} cannot be a [LuaMember]");
            string name = Claim(names, attr.Name ?? p.Name, p);
            Properties.Add(new HostProperty(name, p, $"{type.Name}.{p.Name}"));
        }
        foreach (MethodInfo m in type.GetMethods(Public))
        {
            if (m.IsSpecialName || m.GetCustomAttribute<LuaMemberAttribute>(inherit: true) is not { } attr) continue;
            if (m.IsGenericMethodDefinition)
                throw new ArgumentException($"generic method {type.Name}.{m.Name} cannot be a [LuaMember]");
            string name = Claim(names, attr.Name ?? m.Name, m);
            Methods.Add(new HostMethod(name, m, HostAdapter.CompileInvoker(m)));
        }
    }

    private string Claim(HashSet<string> names, string name, MemberInfo member)
    {
        // Overloads would need Lua-side overload resolution; one name, one member.
        if (!names.Add(name))
            throw new ArgumentException($"{Type.Name}.{member.Name}: Lua name '{name}' is used by two [LuaMember] members");
        return name;
    }
}

internal sealed record HostMethod(string Name, MethodInfo Method, Func<object?, object?[], object?> Call);

/// <summary>A marked property: getter and setter compiled once; the setter is null when the
/// property has no public setter (writes are then an error).</summary>
internal sealed class HostProperty
{
    public readonly string Name;
    public readonly Func<object, object?>? Get;
    public readonly Action<object, object?>? Set;
    public readonly HostAdapter.ArgReader? Read;
    public readonly Action<LuaEngine, Tiered.Interpreter.VM.LuaState, object?>? Push;

    public HostProperty(string name, PropertyInfo p, string fullName)
    {
        Name = name;
        ParameterExpression target = Expression.Parameter(typeof(object), "target");
        Expression? instance = (p.GetMethod ?? p.SetMethod)!.IsStatic ? null : Expression.Convert(target, p.DeclaringType!);
        if (p.GetMethod is { IsPublic: true } getter)
        {
            Expression body = Expression.Convert(Expression.Call(instance, getter), typeof(object));
            Get = Expression.Lambda<Func<object, object?>>(body, target).Compile();
            Push = HostAdapter.PusherFor(p.PropertyType, fullName);
        }
        if (p.SetMethod is { IsPublic: true } setter)
        {
            ParameterExpression value = Expression.Parameter(typeof(object), "value");
            Expression body = Expression.Call(instance, setter, Expression.Convert(value, p.PropertyType));
            Set = Expression.Lambda<Action<object, object?>>(body, target, value).Compile();
            Read = HostAdapter.ReaderFor(p.PropertyType, fullName);
        }
    }
}
