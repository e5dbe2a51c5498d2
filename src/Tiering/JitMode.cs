namespace Tiered;

/// <summary>When functions are compiled to native code: never, once hot (the default), or on
/// their first call. In namespace Tiered because it is part of the embedding API's contract.</summary>
public enum JitMode { Off, Adaptive, Eager }
