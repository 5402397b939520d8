package com.cloudextender.modules.bes.devices;

import com.cloudextender.modules.bes.client.BesException;
import com.cloudextender.modules.bes.client.BwsClient;
import com.cloudextender.modules.bes.client.ReturnCodes;
import com.cloudextender.modules.bes.wire.Entity;
import com.cloudextender.modules.bes.wire.InventoryMessages;
import java.util.HashMap;
import java.util.Map;
import com.cloudextender.modules.bes.wire.Messages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Reads BES users and their devices: page by page for discovery (bounded memory: one page of users and
 * one batch of details at a time), or one user by e-mail address and one device by PIN for actions.
 */
public final class UserDirectory {
    private final BwsClient client;

    public UserDirectory(BwsClient client) {
        this.client = client;
    }

    /**
     * Hands every device of every user to {@code devices}, reading users {@code pageSize} at a time
     * (sorted by e-mail address, {@code startIndex} moving on) and their details {@code detailBatch} at a
     * time. The reads run one batch ahead on a thread of this call's own while the caller handles the
     * current batch, so a read costs about the larger of the server's answers and their handling, not
     * their sum; at most three batches are in memory. A user deleted between the two reads is skipped;
     * any other failure ends the read.
     *
     * @return how many users were read
     */
    public long forEachDevice(Consumer<BesDevice> devices) throws BesException {
        BlockingQueue<Object> batches = new ArrayBlockingQueue<>(2);
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bes-directory-read-ahead");
            t.setDaemon(true);
            return t;
        });
        try {
            reader.submit(() -> {
                readAhead(batches);
                return null;
            });
            while (true) {
                Object next = batches.take();
                if (next instanceof Long users) {
                    return users;
                }
                if (next instanceof BesException e) {
                    throw new BesException(e.reason(), e.getMessage(), e);
                }
                if (next instanceof RuntimeException e) {
                    throw new BesException("FAILED", "the device read failed: " + e, e);
                }
                Batch b = (Batch) next;
                emit(b.users(), b.answer(), devices);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BesException("FAILED", "the device read was cancelled");
        } finally {
            reader.shutdownNow(); // stops a read ahead that is no longer wanted
        }
    }

    /** One batch of users and the getUsersDetail answer about them. */
    private record Batch(List<InventoryMessages.UserRef> users, InventoryMessages.DetailsPage answer) {
    }

    /** The reading thread: batches into {@code out}, then the user count, or the failure. */
    private void readAhead(BlockingQueue<Object> out) throws InterruptedException {
        try {
            int pageSize = client.settings().pageSize();
            int batch = client.settings().detailBatch();
            long users = 0;
            for (int start = 0; ; start += pageSize) {
                Messages.GetUsersRequest r = new Messages.GetUsersRequest();
                r.metadata = client.metadata();
                r.pageSize = pageSize;
                r.startIndex = start;
                r.sortAscending = Boolean.TRUE;
                InventoryMessages.UsersPage answer = client.read("getUsers", b -> b.getUsers(r));
                ReturnCodes.require("getUsers", answer.returnStatus, "page at " + start);
                List<InventoryMessages.UserRef> page = answer.users;
                users += page.size();
                for (int i = 0; i < page.size(); i += batch) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    InventoryMessages.DetailsRequest d = new InventoryMessages.DetailsRequest();
                    d.metadata = client.metadata();
                    d.users.addAll(page.subList(i, Math.min(page.size(), i + batch)));
                    // The overall status may be a failure when one user failed: the individual statuses decide.
                    out.put(new Batch(d.users, client.read("getUsersDetail", b -> b.getUsersDetail(d))));
                }
                if (page.size() < pageSize) {
                    out.put(users);
                    return;
                }
            }
        } catch (BesException | RuntimeException e) {
            out.put(e);
        }
    }

    /** The user whose e-mail address is {@code email} (exact match), or NOT_FOUND. */
    public Entity userByEmail(String email) throws BesException {
        Messages.GetUsersRequest r = new Messages.GetUsersRequest();
        r.metadata = client.metadata();
        r.searchCriteria = new Messages.UsersSearchCriteria();
        r.searchCriteria.emailAddress = "\"" + email + "\""; // in quotes: an exact match, not a substring search
        r.pageSize = 2;
        List<Entity> found = client.callOk("getUsers", "e-mail " + email, b -> b.getUsers(r)).users();
        if (found.isEmpty()) {
            throw new BesException("NOT_FOUND", "no BES user has the e-mail address " + email);
        }
        if (found.size() > 1) {
            throw new BesException("AMBIGUOUS", "more than one BES user has the e-mail address " + email);
        }
        return found.get(0);
    }

    /** The user's detail with devices and IT policies, read now. */
    public Messages.UserDetailResponse detail(Entity user) throws BesException {
        List<Messages.UserDetailResponse> out = new ArrayList<>();
        Messages.GetUsersDetailResponse a = getDetails(List.of(user));
        for (Messages.UserDetailResponse d : a.individualResponses) {
            ReturnCodes.require("getUsersDetail", d.returnStatus, "user " + user.text("uid").orElse("?"));
            out.add(d);
        }
        if (out.size() != 1 || out.get(0).userDetail() == null) {
            throw new BesException("NOT_FOUND", "getUsersDetail returned no detail for user "
                    + user.text("uid").orElse("?"));
        }
        return out.get(0);
    }

    /** The device {@code pin} of the user with {@code email}, read now; NOT_FOUND naming what is missing. */
    public BesDevice device(String email, String pin) throws BesException {
        Entity user = userByEmail(email);
        Messages.UserDetailResponse d = detail(user);
        Entity detail = d.userDetail();
        for (var e : detail.children("devices")) {
            if (pin.equalsIgnoreCase(Entity.textOf(e, "pin").orElse(""))) {
                return BesDevice.of(user, detail, e);
            }
        }
        throw new BesException("NOT_FOUND", "the BES user " + email + " has no device with PIN " + pin);
    }

    private Messages.GetUsersDetailResponse getDetails(List<Entity> users) throws BesException {
        Messages.GetUsersDetailRequest r = new Messages.GetUsersDetailRequest();
        r.metadata = client.metadata();
        users.forEach(u -> r.users.add(u.element()));
        r.loadAccounts = Boolean.TRUE;
        r.loadDevices = Boolean.TRUE;
        r.loadITPolicies = Boolean.TRUE;
        // The overall status may be a failure when one user failed: the individual statuses decide.
        return client.call("getUsersDetail", b -> b.getUsersDetail(r));
    }

    private void emit(List<InventoryMessages.UserRef> users, InventoryMessages.DetailsPage a,
                      Consumer<BesDevice> devices) throws BesException {
        if (a.individualResponses.isEmpty() && !a.returnStatus.success()) {
            ReturnCodes.require("getUsersDetail", a.returnStatus, users.size() + " users");
        }
        Map<String, InventoryMessages.UserRef> byUid = new HashMap<>();
        users.forEach(u -> byUid.put(u.uid, u));
        for (InventoryMessages.DetailItem d : a.individualResponses) {
            if (d.returnStatus == null || !d.returnStatus.success()) {
                String reason = d.returnStatus == null ? "FAILED" : ReturnCodes.reasonOf(d.returnStatus.code);
                if (reason.equals("NOT_FOUND")) {
                    continue; // deleted since the page was read: the next sync sees it gone
                }
                throw new BesException(reason, ReturnCodes.describe("getUsersDetail", d.returnStatus, "user " + d.userUid));
            }
            if (d.userDetail == null) {
                continue;
            }
            InventoryMessages.UserRef user = byUid.get(d.userUid);
            if (user == null) {
                user = new InventoryMessages.UserRef();
                user.uid = d.userUid;
            }
            for (InventoryMessages.DeviceView v : d.userDetail.devices) {
                devices.accept(BesDevice.of(user, d.userDetail, v));
            }
        }
    }
}
