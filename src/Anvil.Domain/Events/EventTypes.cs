using System.Collections.Frozen;

namespace Anvil.Domain.Events;

/// <summary>
/// The event types Anvil records, named as MAAS names them so that operators' filters and
/// habits carry over. Names are persisted; descriptions are what the events API shows.
/// </summary>
public static class EventTypes
{
    // Status progress (INFO): what the machine is doing.
    public const string COMMISSIONING = nameof(COMMISSIONING);
    public const string TESTING = nameof(TESTING);
    public const string READY = nameof(READY);
    public const string DEPLOYING = nameof(DEPLOYING);
    public const string DEPLOYED = nameof(DEPLOYED);
    public const string RELEASING = nameof(RELEASING);
    public const string RELEASED = nameof(RELEASED);
    public const string ENTERING_RESCUE_MODE = nameof(ENTERING_RESCUE_MODE);
    public const string RESCUE_MODE = nameof(RESCUE_MODE);
    public const string EXITING_RESCUE_MODE = nameof(EXITING_RESCUE_MODE);
    public const string EXITED_RESCUE_MODE = nameof(EXITED_RESCUE_MODE);
    public const string ERASING_DISK = nameof(ERASING_DISK);
    public const string ENLISTED = nameof(ENLISTED);
    public const string NEW = nameof(NEW);
    public const string FAILED_COMMISSIONING = nameof(FAILED_COMMISSIONING);
    public const string FAILED_TESTING = nameof(FAILED_TESTING);
    public const string GATHERING_INFO = nameof(GATHERING_INFO);
    public const string NODE_INSTALLATION_FINISHED = nameof(NODE_INSTALLATION_FINISHED);

    // What the metadata server hears from machines: script results and cloud-init/curtin reports.
    public const string SCRIPT_RESULT_ERROR = nameof(SCRIPT_RESULT_ERROR);
    public const string NODE_COMMISSIONING_EVENT = nameof(NODE_COMMISSIONING_EVENT);
    public const string NODE_COMMISSIONING_EVENT_FAILED = nameof(NODE_COMMISSIONING_EVENT_FAILED);
    public const string NODE_INSTALL_EVENT = nameof(NODE_INSTALL_EVENT);
    public const string NODE_INSTALL_EVENT_FAILED = nameof(NODE_INSTALL_EVENT_FAILED);
    public const string NODE_POST_INSTALL_EVENT_FAILED = nameof(NODE_POST_INSTALL_EVENT_FAILED);
    public const string NODE_ENTERING_RESCUE_MODE_EVENT = nameof(NODE_ENTERING_RESCUE_MODE_EVENT);
    public const string NODE_ENTERING_RESCUE_MODE_EVENT_FAILED = nameof(NODE_ENTERING_RESCUE_MODE_EVENT_FAILED);
    public const string NODE_STATUS_EVENT = nameof(NODE_STATUS_EVENT);
    public const string ABORTED_COMMISSIONING = nameof(ABORTED_COMMISSIONING);
    public const string ABORTED_DEPLOYMENT = nameof(ABORTED_DEPLOYMENT);
    public const string ABORTED_TESTING = nameof(ABORTED_TESTING);
    public const string ABORTED_DISK_ERASING = nameof(ABORTED_DISK_ERASING);

    // Node changes (DEBUG / ERROR).
    public const string NODE_CHANGED_STATUS = nameof(NODE_CHANGED_STATUS);
    public const string NODE_POWERED_ON = nameof(NODE_POWERED_ON);
    public const string NODE_POWERED_OFF = nameof(NODE_POWERED_OFF);
    public const string NODE_POWER_ON_FAILED = nameof(NODE_POWER_ON_FAILED);
    public const string NODE_POWER_OFF_FAILED = nameof(NODE_POWER_OFF_FAILED);
    public const string NODE_POWER_QUERY_FAILED = nameof(NODE_POWER_QUERY_FAILED);
    public const string NODE_OPERATION_TIMED_OUT = nameof(NODE_OPERATION_TIMED_OUT);
    public const string NODE_FAILED = nameof(NODE_FAILED);

    // User requests (DEBUG); the matching AUDIT record is written with type NODE.
    public const string REQUEST_NODE_START_COMMISSIONING = nameof(REQUEST_NODE_START_COMMISSIONING);
    public const string REQUEST_NODE_ABORT_COMMISSIONING = nameof(REQUEST_NODE_ABORT_COMMISSIONING);
    public const string REQUEST_NODE_START_TESTING = nameof(REQUEST_NODE_START_TESTING);
    public const string REQUEST_NODE_ABORT_TESTING = nameof(REQUEST_NODE_ABORT_TESTING);
    public const string REQUEST_NODE_OVERRIDE_FAILED_TESTING = nameof(REQUEST_NODE_OVERRIDE_FAILED_TESTING);
    public const string REQUEST_NODE_ABORT_DEPLOYMENT = nameof(REQUEST_NODE_ABORT_DEPLOYMENT);
    public const string REQUEST_NODE_ABORT_ERASE_DISK = nameof(REQUEST_NODE_ABORT_ERASE_DISK);
    public const string REQUEST_NODE_ACQUIRE = nameof(REQUEST_NODE_ACQUIRE);
    public const string REQUEST_NODE_START_DEPLOYMENT = nameof(REQUEST_NODE_START_DEPLOYMENT);
    public const string REQUEST_NODE_RELEASE = nameof(REQUEST_NODE_RELEASE);
    public const string REQUEST_NODE_ERASE_DISK = nameof(REQUEST_NODE_ERASE_DISK);
    public const string REQUEST_NODE_MARK_BROKEN = nameof(REQUEST_NODE_MARK_BROKEN);
    public const string REQUEST_NODE_MARK_FIXED = nameof(REQUEST_NODE_MARK_FIXED);
    public const string REQUEST_NODE_MARK_FAILED_SYSTEM = nameof(REQUEST_NODE_MARK_FAILED_SYSTEM);
    public const string REQUEST_NODE_LOCK = nameof(REQUEST_NODE_LOCK);
    public const string REQUEST_NODE_UNLOCK = nameof(REQUEST_NODE_UNLOCK);
    public const string REQUEST_NODE_START = nameof(REQUEST_NODE_START);
    public const string REQUEST_NODE_STOP = nameof(REQUEST_NODE_STOP);
    public const string REQUEST_NODE_START_RESCUE_MODE = nameof(REQUEST_NODE_START_RESCUE_MODE);
    public const string REQUEST_NODE_STOP_RESCUE_MODE = nameof(REQUEST_NODE_STOP_RESCUE_MODE);

    // AUDIT types: user actions, by the kind of object acted on.
    public const string NODE = nameof(NODE);
    public const string AUTHORISATION = nameof(AUTHORISATION);
    public const string SETTINGS = nameof(SETTINGS);
    public const string ZONES = nameof(ZONES);
    public const string TAGS = nameof(TAGS);
    public const string NETWORKING = nameof(NETWORKING);

    private static readonly EventType[] All =
    [
        new(COMMISSIONING, "Commissioning", EventLevel.INFO),
        new(TESTING, "Testing", EventLevel.INFO),
        new(READY, "Ready", EventLevel.INFO),
        new(DEPLOYING, "Deploying", EventLevel.INFO),
        new(DEPLOYED, "Deployed", EventLevel.INFO),
        new(RELEASING, "Releasing", EventLevel.INFO),
        new(RELEASED, "Released", EventLevel.INFO),
        new(ENTERING_RESCUE_MODE, "Entering rescue mode", EventLevel.INFO),
        new(RESCUE_MODE, "Rescue mode", EventLevel.INFO),
        new(EXITING_RESCUE_MODE, "Exiting rescue mode", EventLevel.INFO),
        new(EXITED_RESCUE_MODE, "Exited rescue mode", EventLevel.INFO),
        new(ERASING_DISK, "Erasing disk", EventLevel.INFO),
        new(ENLISTED, "Enlisted", EventLevel.INFO),
        new(NEW, "New", EventLevel.INFO),
        new(FAILED_COMMISSIONING, "Failed commissioning", EventLevel.INFO),
        new(FAILED_TESTING, "Failed testing", EventLevel.INFO),
        new(GATHERING_INFO, "Gathering information", EventLevel.INFO),
        new(NODE_INSTALLATION_FINISHED, "Installation complete", EventLevel.INFO),
        new(SCRIPT_RESULT_ERROR, "Script result lookup or storage error", EventLevel.ERROR),
        new(NODE_COMMISSIONING_EVENT, "Node commissioning", EventLevel.DEBUG),
        new(NODE_COMMISSIONING_EVENT_FAILED, "Node commissioning failure", EventLevel.ERROR),
        new(NODE_INSTALL_EVENT, "Node installation", EventLevel.DEBUG),
        new(NODE_INSTALL_EVENT_FAILED, "Node installation failure", EventLevel.ERROR),
        new(NODE_POST_INSTALL_EVENT_FAILED, "Node post-installation failure", EventLevel.ERROR),
        new(NODE_ENTERING_RESCUE_MODE_EVENT, "Node entering rescue mode", EventLevel.DEBUG),
        new(NODE_ENTERING_RESCUE_MODE_EVENT_FAILED, "Node entering rescue mode failure", EventLevel.ERROR),
        new(NODE_STATUS_EVENT, "Node status event", EventLevel.DEBUG),
        new(ABORTED_COMMISSIONING, "Aborted commissioning", EventLevel.INFO),
        new(ABORTED_DEPLOYMENT, "Aborted deployment", EventLevel.INFO),
        new(ABORTED_TESTING, "Aborted testing", EventLevel.INFO),
        new(ABORTED_DISK_ERASING, "Aborted disk erasing", EventLevel.INFO),
        new(NODE_CHANGED_STATUS, "Node changed status", EventLevel.DEBUG),
        new(NODE_POWERED_ON, "Node powered on", EventLevel.DEBUG),
        new(NODE_POWERED_OFF, "Node powered off", EventLevel.DEBUG),
        new(NODE_POWER_ON_FAILED, "Failed to power on node", EventLevel.ERROR),
        new(NODE_POWER_OFF_FAILED, "Failed to power off node", EventLevel.ERROR),
        new(NODE_POWER_QUERY_FAILED, "Failed to query node's BMC", EventLevel.WARNING),
        new(NODE_OPERATION_TIMED_OUT, "Node operation timed out", EventLevel.ERROR),
        new(NODE_FAILED, "Marked failed", EventLevel.ERROR),
        new(REQUEST_NODE_START_COMMISSIONING, "User starting node commissioning", EventLevel.DEBUG),
        new(REQUEST_NODE_ABORT_COMMISSIONING, "User aborting node commissioning", EventLevel.DEBUG),
        new(REQUEST_NODE_START_TESTING, "User starting node testing", EventLevel.DEBUG),
        new(REQUEST_NODE_ABORT_TESTING, "User aborting node testing", EventLevel.DEBUG),
        new(REQUEST_NODE_OVERRIDE_FAILED_TESTING, "User overrode 'Failed testing' status", EventLevel.DEBUG),
        new(REQUEST_NODE_ABORT_DEPLOYMENT, "User aborting deployment", EventLevel.DEBUG),
        new(REQUEST_NODE_ABORT_ERASE_DISK, "User aborting disk erase", EventLevel.DEBUG),
        new(REQUEST_NODE_ACQUIRE, "User acquiring node", EventLevel.DEBUG),
        new(REQUEST_NODE_START_DEPLOYMENT, "User starting deployment", EventLevel.DEBUG),
        new(REQUEST_NODE_RELEASE, "User releasing node", EventLevel.DEBUG),
        new(REQUEST_NODE_ERASE_DISK, "User erasing disk", EventLevel.DEBUG),
        new(REQUEST_NODE_MARK_BROKEN, "User marking node broken", EventLevel.DEBUG),
        new(REQUEST_NODE_MARK_FIXED, "User marking node fixed", EventLevel.DEBUG),
        new(REQUEST_NODE_MARK_FAILED_SYSTEM, "Marking node failed", EventLevel.ERROR),
        new(REQUEST_NODE_LOCK, "User locking node", EventLevel.DEBUG),
        new(REQUEST_NODE_UNLOCK, "User unlocking node", EventLevel.DEBUG),
        new(REQUEST_NODE_START, "User powering up node", EventLevel.DEBUG),
        new(REQUEST_NODE_STOP, "User powering down node", EventLevel.DEBUG),
        new(REQUEST_NODE_START_RESCUE_MODE, "User starting rescue mode", EventLevel.DEBUG),
        new(REQUEST_NODE_STOP_RESCUE_MODE, "User stopping rescue mode", EventLevel.DEBUG),
        new(NODE, "Node", EventLevel.AUDIT),
        new(AUTHORISATION, "Authorisation", EventLevel.AUDIT),
        new(SETTINGS, "Settings", EventLevel.AUDIT),
        new(ZONES, "Zones", EventLevel.AUDIT),
        new(TAGS, "Tag", EventLevel.AUDIT),
        new(NETWORKING, "Networking", EventLevel.AUDIT),
    ];

    private static readonly FrozenDictionary<string, EventType> ByName =
        All.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    public static EventType Get(string name) =>
        ByName.TryGetValue(name, out var type) ? type : throw new ArgumentException($"Unknown event type '{name}'.", nameof(name));

    public static bool TryGet(string name, out EventType type) => ByName.TryGetValue(name, out type!);
}
