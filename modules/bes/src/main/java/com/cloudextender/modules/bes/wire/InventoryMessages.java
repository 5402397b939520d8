package com.cloudextender.modules.bes.wire;

import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed views of getUsers and getUsersDetail for discovery, which reads many objects and sends none
 * back but user ids: JAXB fills these directly, where keeping every object as DOM ({@link Entity}) cost
 * most of the read (docs/BENCHMARKS.md). Elements not named here are skipped.
 */
public final class InventoryMessages {
    private InventoryMessages() {
    }

    /** A user as getUsers lists it, and as getUsersDetail takes it. */
    public static class UserRef {
        public String uid;
        public String displayName;
    }

    public static class UsersPage extends Response {
        public List<UserRef> users = new ArrayList<>();
    }

    public static class DetailsRequest {
        public RequestMetadata metadata;
        public List<UserRef> users = new ArrayList<>();
        public Boolean loadAccounts = Boolean.TRUE;
        public Boolean loadDevices = Boolean.TRUE;
        public Boolean loadITPolicies = Boolean.TRUE;
    }

    public static class DetailsPage extends Response {
        public List<DetailItem> individualResponses = new ArrayList<>();
    }

    public static class DetailItem {
        public String userUid;
        public ReturnStatus returnStatus;
        public UserView userDetail;
    }

    public static class UserView {
        public String displayName;
        public List<Account> accounts = new ArrayList<>();
        public List<DeviceView> devices = new ArrayList<>();
        public PolicyRef directITPolicy;
    }

    public static class Account {
        public String emailAddress;
    }

    public static class PolicyRef {
        public Named policy;
    }

    public static class Named {
        public String name;
    }

    /** BWS's enumeration objects: the value as text (the flag element is skipped). */
    public static class Value {
        public String value;
    }

    public static class Application {
        public String name;
        public String version;
        public String vendor;
    }

    /** The {@code Device} elements the records use (see {@code devices.AttributeSet}). */
    public static class DeviceView {
        public String pin;
        public String model;
        public String platformVersion;
        public String phoneNumber;
        public Value state;
        public String lastContactTime;
        public String totalMessagesSent;
        public String totalMessagesPending;
        public String totalMessagesExpired;
        public String totalMessagesFiltered;
        public String totalMessagesForwarded;
        public String serialNumber;
        public String imei;
        public String activeCarrier;
        public String network;
        public String deviceType;
        public String vendor;
        public String appVersion;
        public String itPolicyName;
        public Value itPolicyStatus;
        public String passwordEnabled;
        @XmlElement(name = "applications")
        public List<Application> applications = new ArrayList<>();
    }
}
