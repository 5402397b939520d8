package com.cloudextender.modules.bes.wire;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;
import jakarta.jws.soap.SOAPBinding;

/**
 * The BWS operations the module calls ({@code https://<BAS>/enterprise/admin/ws}): document/literal,
 * each request element named after the operation and each answer after the operation plus
 * {@code Response}.
 */
@WebService(name = "BWS", targetNamespace = Bws.NS)
@SOAPBinding(parameterStyle = SOAPBinding.ParameterStyle.BARE)
public interface Bws {
    /** The namespace of every BWS message. */
    String NS = "http://ws.rim.com/enterprise/admin";

    @WebMethod(operationName = "getSystemInfo")
    @WebResult(name = "getSystemInfoResponse", targetNamespace = NS, partName = "response")
    Messages.GetSystemInfoResponse getSystemInfo(
            @WebParam(name = "getSystemInfo", targetNamespace = NS, partName = "request") Messages.GetSystemInfoRequest r);

    @WebMethod(operationName = "getUsers")
    @WebResult(name = "getUsersResponse", targetNamespace = NS, partName = "response")
    Messages.GetUsersResponse getUsers(
            @WebParam(name = "getUsers", targetNamespace = NS, partName = "request") Messages.GetUsersRequest r);

    @WebMethod(operationName = "getUsersDetail")
    @WebResult(name = "getUsersDetailResponse", targetNamespace = NS, partName = "response")
    Messages.GetUsersDetailResponse getUsersDetail(
            @WebParam(name = "getUsersDetail", targetNamespace = NS, partName = "request") Messages.GetUsersDetailRequest r);

    @WebMethod(operationName = "createUsers")
    @WebResult(name = "createUsersResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses createUsers(
            @WebParam(name = "createUsers", targetNamespace = NS, partName = "request") Messages.CreateUsersRequest r);

    @WebMethod(operationName = "deleteUsers")
    @WebResult(name = "deleteUsersResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses deleteUsers(
            @WebParam(name = "deleteUsers", targetNamespace = NS, partName = "request") Messages.UsersRequest r);

    @WebMethod(operationName = "getITPolicies")
    @WebResult(name = "getITPoliciesResponse", targetNamespace = NS, partName = "response")
    Messages.GetITPoliciesResponse getITPolicies(
            @WebParam(name = "getITPolicies", targetNamespace = NS, partName = "request") Messages.MetadataOnly r);

    @WebMethod(operationName = "setUsersITPolicy")
    @WebResult(name = "setUsersITPolicyResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses setUsersITPolicy(
            @WebParam(name = "setUsersITPolicy", targetNamespace = NS, partName = "request") Messages.SetUsersITPolicyRequest r);

    @WebMethod(operationName = "setUsersActivationPassword")
    @WebResult(name = "setUsersActivationPasswordResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses setUsersActivationPassword(
            @WebParam(name = "setUsersActivationPassword", targetNamespace = NS, partName = "request")
            Messages.SetUsersActivationPasswordRequest r);

    @WebMethod(operationName = "resendITPolicy")
    @WebResult(name = "resendITPolicyResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses resendITPolicy(
            @WebParam(name = "resendITPolicy", targetNamespace = NS, partName = "request") Messages.DevicesRequest r);

    @WebMethod(operationName = "setDevicesPasswordAndLock")
    @WebResult(name = "setDevicesPasswordAndLockResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses setDevicesPasswordAndLock(
            @WebParam(name = "setDevicesPasswordAndLock", targetNamespace = NS, partName = "request")
            Messages.SetDevicesPasswordRequest r);

    @WebMethod(operationName = "deleteDevicesData")
    @WebResult(name = "deleteDevicesDataResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses deleteDevicesData(
            @WebParam(name = "deleteDevicesData", targetNamespace = NS, partName = "request") Messages.DevicesRequest r);

    @WebMethod(operationName = "sendMessage")
    @WebResult(name = "sendMessageResponse", targetNamespace = NS, partName = "response")
    Messages.IndividualResponses sendMessage(
            @WebParam(name = "sendMessage", targetNamespace = NS, partName = "request") Messages.SendMessageRequest r);
}
