using Anvil.Data.Timeline;

namespace Anvil.Region.Timeline;

public sealed partial class BootTimeline
{
    /// <summary>A failure reason is the installer's free text; a timeline row keeps its start.</summary>
    private const int MaxInstallDetail = 1_000;

    /// <summary>
    /// The installer's progress (a status webhook report of curtin origin): the start or finish of
    /// <c>cmd-install</c> or one of its stages, as a row <c>install</c> / <c>start|finish</c> /
    /// <c>&lt;name&gt; &lt;result&gt; &lt;description&gt;</c>, so a failed deployment's timeline names the
    /// stage that failed. cloud-init's reports (dozens per boot) stay in <c>events/</c> only.
    /// Never blocks and never throws: the webhook has answered the node already or is about to.
    /// </summary>
    public void RecordInstallReport(string systemId, string origin, string eventType, string name, string? result, string description)
    {
        if (origin != "curtin" || eventType is not ("start" or "finish"))
            return;
        var detail = string.Join(' ', new[] { name, result, description }.Where(p => !string.IsNullOrEmpty(p)));
        if (detail.Length > MaxInstallDetail)
            detail = detail[..MaxInstallDetail];
        Record(new BootEventRow(Now, "install", eventType, detail, SystemId: systemId, Source: "region"));
    }
}
