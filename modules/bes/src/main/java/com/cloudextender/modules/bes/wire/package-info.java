/**
 * The SOAP messages of BlackBerry Web Services (BWS and BWSUtil, namespace
 * {@code http://ws.rim.com/enterprise/admin}) that the module uses, as JAXB classes written for this
 * module: requests are typed; the entities a response carries (users, devices, policies, authenticators)
 * are kept as their XML elements ({@link com.cloudextender.modules.bes.wire.Entity}), so that what the
 * server sends is echoed back verbatim where BWS expects an object it returned, and fields the module
 * does not know are neither lost nor guessed. Which operations and fields are confirmed from public
 * sources and which are not is listed in the module README.
 */
@XmlSchema(namespace = Bws.NS, elementFormDefault = XmlNsForm.QUALIFIED)
@XmlAccessorType(XmlAccessType.FIELD)
package com.cloudextender.modules.bes.wire;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
