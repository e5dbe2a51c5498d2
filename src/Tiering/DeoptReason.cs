namespace Tiered.Tiering;

/// <summary>Why native code gave a frame back to the interpreter. Kept as a table so the
/// profile and the logs name every reason the same way.</summary>
public enum DeoptReason
{
    /// <summary>An arithmetic site specialised on integers saw another type.</summary>
    NotInteger = 1,
    /// <summary>An arithmetic site specialised on floats saw another type.</summary>
    NotFloat = 2,
    /// <summary>An arithmetic site that had only seen numbers saw another type.</summary>
    NotNumber = 3,
    /// <summary>A table access where the interpreter's inline path had always done the work
    /// (a table holding the key, or lacking it without a metatable; an integer key in the array
    /// part) met another case: the generic index or store is needed.</summary>
    TableMiss = 4,
    /// <summary>A coroutine yield passed through a call, and the code had no entry after it:
    /// the frame went on in the interpreter after the resume.</summary>
    Yield = 5,
    /// <summary>A numeric for loop compiled as an integer loop (the interpreter had only
    /// prepared integer loops there) met a float loop: a float initial value or step.</summary>
    FloatLoop = 6,
}

public static class DeoptReasons
{
    public static string Describe(DeoptReason r) => r switch
    {
        DeoptReason.NotInteger => "integer-specialised arithmetic saw a non-integer operand",
        DeoptReason.NotFloat => "float-specialised arithmetic saw a non-float operand",
        DeoptReason.NotNumber => "arithmetic that had only seen numbers saw another type",
        DeoptReason.TableMiss => "a table access that had always taken the fast path needed the generic index",
        DeoptReason.Yield => "a coroutine yield passed through a call with no native entry after it",
        DeoptReason.FloatLoop => "a numeric for loop compiled for integers had a float initial value or step",
        _ => r.ToString(),
    };
}
