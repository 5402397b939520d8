package com.cloudextender.modules.bes.wire;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;
import jakarta.jws.soap.SOAPBinding;

/** getUsers and getUsersDetail of {@link Bws} again, answered into the typed views of discovery. */
@WebService(name = "BWS", targetNamespace = Bws.NS)
@SOAPBinding(parameterStyle = SOAPBinding.ParameterStyle.BARE)
public interface BwsInventory {
    @WebMethod(operationName = "getUsers")
    @WebResult(name = "getUsersResponse", targetNamespace = Bws.NS, partName = "response")
    InventoryMessages.UsersPage getUsers(
            @WebParam(name = "getUsers", targetNamespace = Bws.NS, partName = "request") Messages.GetUsersRequest r);

    @WebMethod(operationName = "getUsersDetail")
    @WebResult(name = "getUsersDetailResponse", targetNamespace = Bws.NS, partName = "response")
    InventoryMessages.DetailsPage getUsersDetail(
            @WebParam(name = "getUsersDetail", targetNamespace = Bws.NS, partName = "request")
            InventoryMessages.DetailsRequest r);
}
