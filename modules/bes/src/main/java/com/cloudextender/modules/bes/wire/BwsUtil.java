package com.cloudextender.modules.bes.wire;

import jakarta.jws.WebMethod;
import jakarta.jws.WebParam;
import jakarta.jws.WebResult;
import jakarta.jws.WebService;
import jakarta.jws.soap.SOAPBinding;

/** The BWSUtil operations of sign-in ({@code https://<BAS>/enterprise/admin/util/ws}); no HTTP authentication. */
@WebService(name = "BWSUtil", targetNamespace = Bws.NS)
@SOAPBinding(parameterStyle = SOAPBinding.ParameterStyle.BARE)
public interface BwsUtil {
    @WebMethod(operationName = "getAuthenticators")
    @WebResult(name = "getAuthenticatorsResponse", targetNamespace = Bws.NS, partName = "response")
    Messages.GetAuthenticatorsResponse getAuthenticators(
            @WebParam(name = "getAuthenticators", targetNamespace = Bws.NS, partName = "request") Messages.MetadataOnly r);

    @WebMethod(operationName = "getEncodedUsername")
    @WebResult(name = "getEncodedUsernameResponse", targetNamespace = Bws.NS, partName = "response")
    Messages.GetEncodedUsernameResponse getEncodedUsername(
            @WebParam(name = "getEncodedUsername", targetNamespace = Bws.NS, partName = "request")
            Messages.GetEncodedUsernameRequest r);
}
