package com.cloudextender.modules.bes.wire;

import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElement;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * The request and answer bodies of the operations in {@link Bws} and {@link BwsUtil}. A repeated
 * element is BWS's list ({@code <users>…</users><users>…</users>}). Field names are the XML element
 * names, so they follow BWS's spelling.
 */
public final class Messages {
    private Messages() {
    }

    /** A request with nothing but its metadata. */
    public static class MetadataOnly {
        public RequestMetadata metadata;

        public MetadataOnly() {
        }

        public MetadataOnly(RequestMetadata metadata) {
            this.metadata = metadata;
        }
    }

    /** BWS's enumeration objects carry one flag element named after the value, and the value as text. */
    public static class CredentialType {
        @XmlElement(name = "PASSWORD")
        public Boolean password = Boolean.TRUE;
        public String value = "PASSWORD";
    }

    /** Users sorted by e-mail address, so that pages follow one stable order. */
    public static class UsersSortBy {
        @XmlElement(name = "EMAIL_ADDRESS")
        public Boolean emailAddress = Boolean.TRUE;
        public String value = "EMAIL_ADDRESS";
    }

    public static class GetAuthenticatorsResponse extends Response {
        @XmlAnyElement(PooledDom.class)
        public List<Element> any = new ArrayList<>();

        public List<Entity> authenticators() {
            return Entity.entities(any, "authenticators");
        }
    }

    public static class GetEncodedUsernameRequest {
        public RequestMetadata metadata;
        public String username;
        public String orgUid;
        /** The Active Directory domain, for the Active Directory authenticator. */
        public String domain;
        /** The authenticator as getAuthenticators returned it, named {@code authenticator}. */
        @XmlAnyElement(PooledDom.class)
        public Element authenticator;
        public CredentialType credentialType = new CredentialType();
    }

    public static class GetEncodedUsernameResponse extends Response {
        public String encodedUsername;
    }

    public static class GetSystemInfoRequest {
        public RequestMetadata metadata;
        public Boolean loadAuthenticatedUserProperties;
    }

    public static class Property {
        public String name;
        public String value;
    }

    public static class GetSystemInfoResponse extends Response {
        public List<Property> properties = new ArrayList<>();
    }

    public static class UsersSearchCriteria {
        public String emailAddress;
    }

    public static class GetUsersRequest {
        public RequestMetadata metadata;
        public UsersSearchCriteria searchCriteria;
        public UsersSortBy sortBy = new UsersSortBy();
        public Boolean sortAscending;
        public Integer pageSize;
        /** The position of the first user of the page (0-based): the module's assumption, see the README. */
        public Integer startIndex;
    }

    public static class GetUsersResponse extends Response {
        @XmlAnyElement(PooledDom.class)
        public List<Element> any = new ArrayList<>();

        public List<Entity> users() {
            return Entity.entities(any, "users");
        }
    }

    public static class GetUsersDetailRequest {
        public RequestMetadata metadata;
        /** {@code users} elements as getUsers returned them. */
        @XmlAnyElement(PooledDom.class)
        public List<Element> users = new ArrayList<>();
        public Boolean loadAccounts;
        public Boolean loadDevices;
        public Boolean loadITPolicies;
    }

    public static class UserDetailResponse {
        public String userUid;
        public ReturnStatus returnStatus;
        @XmlAnyElement(PooledDom.class)
        public List<Element> any = new ArrayList<>();

        /** The user's detail, or null when the server sent none. */
        public Entity userDetail() {
            List<Entity> d = Entity.entities(any, "userDetail");
            return d.isEmpty() ? null : d.get(0);
        }
    }

    public static class GetUsersDetailResponse extends Response {
        public List<UserDetailResponse> individualResponses = new ArrayList<>();
    }

    public static class AccountAttributes {
        public String emailAddress;
    }

    public static class NewUser {
        public AccountAttributes accountAttributes;
    }

    public static class CreateUsersRequest {
        public RequestMetadata metadata;
        public List<NewUser> newUsers = new ArrayList<>();
    }

    /** One item's outcome in a multi-object operation, with whatever else the server says about it. */
    public static class Individual {
        public String uid;
        public String userUid;
        public ReturnStatus returnStatus;
        @XmlAnyElement(PooledDom.class)
        public List<Element> other = new ArrayList<>();
    }

    /** The answer of every multi-object change: an overall status and one status per item. */
    public static class IndividualResponses extends Response {
        public List<Individual> individualResponses = new ArrayList<>();
    }

    public static class UsersRequest {
        public RequestMetadata metadata;
        @XmlAnyElement(PooledDom.class)
        public List<Element> users = new ArrayList<>();
    }

    public static class GetITPoliciesResponse extends Response {
        @XmlAnyElement(PooledDom.class)
        public List<Element> any = new ArrayList<>();

        public List<Entity> itPolicies() {
            return Entity.entities(any, "itPolicies");
        }
    }

    public static class SetUsersITPolicyRequest {
        public RequestMetadata metadata;
        /** The {@code users} elements, then the {@code itPolicy} element (JAXB allows one such list per class). */
        @XmlAnyElement(PooledDom.class)
        public List<Element> usersThenPolicy = new ArrayList<>();
    }

    public static class SetUsersActivationPasswordRequest {
        public RequestMetadata metadata;
        @XmlAnyElement(PooledDom.class)
        public List<Element> users = new ArrayList<>();
        public String activationPassword;
        public Integer expiryHours;
    }

    public static class DevicesRequest {
        public RequestMetadata metadata;
        @XmlAnyElement(PooledDom.class)
        public List<Element> devices = new ArrayList<>();
    }

    public static class SetDevicesPasswordRequest {
        public RequestMetadata metadata;
        @XmlAnyElement(PooledDom.class)
        public List<Element> devices = new ArrayList<>();
        public String password;
    }

    public static class SendMessageRequest {
        public RequestMetadata metadata;
        @XmlAnyElement(PooledDom.class)
        public List<Element> users = new ArrayList<>();
        @XmlElement(name = "subject")
        public String subject;
        public String body;
    }
}
