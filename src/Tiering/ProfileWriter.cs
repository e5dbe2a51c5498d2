using Tiered.Reporting;

namespace Tiered.Tiering;

/// <summary>
/// Writes the run's tiering profile as JSON (schema "tiered-profile/1", documented in
/// docs/profile-schema.md). The document is <see cref="RunProfile"/>, serialised.
/// </summary>
public static class ProfileWriter
{
    public static void Write(NativeTier tier, Stream output, double wallMs, string? script = null) =>
        RunProfile.FromTier(tier, wallMs, script).WriteJson(output);
}
